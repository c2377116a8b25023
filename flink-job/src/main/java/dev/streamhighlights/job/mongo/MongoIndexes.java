package dev.streamhighlights.job.mongo;

import com.mongodb.MongoException;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The indexes on {@code highlights} that readers sort and filter by: the newest first (all, or of
 * one channel) and the highest score first. The job creates them before it starts (creating an
 * index that exists does nothing); readers, such as the highlights page, only look whether they are
 * there, as they never write. The sink looks documents up by {@code _id} alone.
 */
public final class MongoIndexes {

  private static final Logger LOG = LoggerFactory.getLogger(MongoIndexes.class);

  /** Newest first; {@code _id} breaks ties, as many highlights share a window end. */
  static final BsonDocument NEWEST = keys("detectedAt", -1, "_id", -1);

  /** One channel's, newest first. */
  static final BsonDocument CHANNEL_NEWEST = keys("channel", 1, "detectedAt", -1, "_id", -1);

  /** Top moments: the highest score first. */
  static final BsonDocument TOP_SCORE = keys("score", -1, "_id", -1);

  /** The indexes on {@link MongoSinks#HIGHLIGHTS}, with their names. */
  public static final List<IndexModel> HIGHLIGHTS =
      List.of(
          new IndexModel(NEWEST, new IndexOptions().name("newest")),
          new IndexModel(CHANNEL_NEWEST, new IndexOptions().name("channel_newest")),
          new IndexModel(TOP_SCORE, new IndexOptions().name("top_score")));

  private MongoIndexes() {}

  /**
   * Creates the indexes that are missing. A user who may not create indexes only gets a warning:
   * the job's writes do not need them, and readers stay correct, only slower.
   *
   * @return whether every index is there now
   */
  public static boolean create(MongoDatabase db) {
    try {
      db.getCollection(MongoSinks.HIGHLIGHTS).createIndexes(HIGHLIGHTS);
      return true;
    } catch (MongoException e) {
      LOG.warn(
          "MongoDB: could not create the indexes on '{}.{}' ({}); the highlights page reads"
              + " slowly from a large collection without them",
          db.getName(),
          MongoSinks.HIGHLIGHTS,
          e.getMessage());
      return false;
    }
  }

  /**
   * The key patterns of the indexes on {@code highlights} that are not there (an index with the
   * same keys under another name counts), as {@code {detectedAt: -1, _id: -1}}; read-only.
   */
  public static List<String> missing(MongoDatabase db) {
    List<BsonDocument> present = new ArrayList<>();
    for (Document index : db.getCollection(MongoSinks.HIGHLIGHTS).listIndexes()) {
      Document key = index.get("key", Document.class);
      if (key != null) {
        present.add(key.toBsonDocument());
      }
    }
    List<String> missing = new ArrayList<>();
    for (IndexModel model : HIGHLIGHTS) {
      BsonDocument wanted = model.getKeys().toBsonDocument();
      if (present.stream().noneMatch(p -> sameKeys(p, wanted))) {
        missing.add(wanted.toJson().replace("\"", ""));
      }
    }
    return missing;
  }

  /** Key patterns compared field by field, in order, with 1 and 1.0 alike. */
  private static boolean sameKeys(BsonDocument a, BsonDocument b) {
    if (!new ArrayList<>(a.keySet()).equals(new ArrayList<>(b.keySet()))) {
      return false;
    }
    for (String k : a.keySet()) {
      if (!a.get(k).isNumber()
          || !b.get(k).isNumber()
          || a.get(k).asNumber().doubleValue() != b.get(k).asNumber().doubleValue()) {
        return false;
      }
    }
    return true;
  }

  private static BsonDocument keys(Object... fieldAndDirection) {
    BsonDocument keys = new BsonDocument();
    for (int i = 0; i < fieldAndDirection.length; i += 2) {
      keys.append((String) fieldAndDirection[i], new BsonInt32((Integer) fieldAndDirection[i + 1]));
    }
    return keys;
  }
}
