package dev.streamhighlights.job.mongo;

import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import dev.streamhighlights.job.model.ChannelActivity;
import dev.streamhighlights.job.model.StoredHighlight;
import java.util.function.Function;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.mongodb.sink.MongoSink;
import org.apache.flink.connector.mongodb.sink.writer.serializer.MongoSerializationSchema;
import org.bson.BsonDocument;

/**
 * MongoSinks for the two collections. Every write is an upsert by a deterministic {@code _id}, so
 * the at-least-once replay after a failure rewrites documents instead of duplicating them. A replay
 * never makes a stored document worse: the IRC source cannot replay chat, so a window restored from
 * a checkpoint may fire again with fewer messages than the count already stored; the count is kept
 * with {@code $max}. A highlight's fields are written once ({@code $setOnInsert}); only its clip
 * outcome is updated, and the clip ledger gives a repeated highlight the outcome it had.
 */
public final class MongoSinks {

  public static final String HIGHLIGHTS = "highlights";
  public static final String ACTIVITY = "activity";

  /** Writes are batched but never held longer than this, so a highlight shows up quickly. */
  private static final long FLUSH_INTERVAL_MS = 500;

  private static final int BATCH_SIZE = 1000;
  private static final int MAX_RETRIES = 3;

  private MongoSinks() {}

  public static MongoSink<StoredHighlight> highlights(String uri, String database) {
    return upserting(uri, database, HIGHLIGHTS, upsert(MongoDocuments::highlight, "clip", null));
  }

  public static MongoSink<ChannelActivity> activity(String uri, String database) {
    return upserting(uri, database, ACTIVITY, upsert(MongoDocuments::activity, null, "count"));
  }

  private static <T> MongoSink<T> upserting(
      String uri, String database, String collection, MongoSerializationSchema<T> upsert) {
    return MongoSink.<T>builder()
        .setUri(uri)
        .setDatabase(database)
        .setCollection(collection)
        .setBatchSize(BATCH_SIZE)
        .setBatchIntervalMs(FLUSH_INTERVAL_MS)
        .setMaxRetries(MAX_RETRIES)
        .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
        .setSerializationSchema(upsert)
        .build();
  }

  /**
   * An upsert of the mapped document by its {@code _id}: {@code setField} always overwritten,
   * {@code maxField} only raised, every other field written when the document is created.
   */
  static <T> MongoSerializationSchema<T> upsert(
      SerializableDocumentFunction<T> toDocument, String setField, String maxField) {
    return (element, context) -> update(toDocument.apply(element), setField, maxField);
  }

  static UpdateOneModel<BsonDocument> update(BsonDocument doc, String setField, String maxField) {
    BsonDocument onInsert = new BsonDocument();
    BsonDocument update = new BsonDocument();
    for (var e : doc.entrySet()) {
      String field = e.getKey();
      if (field.equals("_id")) {
        continue;
      }
      if (field.equals(setField)) {
        update.append("$set", new BsonDocument(field, e.getValue()));
      } else if (field.equals(maxField)) {
        update.append("$max", new BsonDocument(field, e.getValue()));
      } else {
        onInsert.append(field, e.getValue());
      }
    }
    update.append("$setOnInsert", onInsert);
    return new UpdateOneModel<>(
        new BsonDocument("_id", doc.get("_id")), update, new UpdateOptions().upsert(true));
  }

  /** A document mapping that Flink can ship with the job graph. */
  @FunctionalInterface
  interface SerializableDocumentFunction<T>
      extends Function<T, BsonDocument>, java.io.Serializable {}
}
