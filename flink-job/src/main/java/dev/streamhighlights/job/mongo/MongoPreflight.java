package dev.streamhighlights.job.mongo;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoException;
import com.mongodb.MongoSecurityException;
import com.mongodb.MongoServerException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks before the job starts that MongoDB takes its writes: a probe document inserted into and
 * deleted from a scratch collection. The MongoDB sink retries a refused write three times and then
 * fails the job, which restarts and is refused again; so what no restart can fix (bad credentials,
 * no write role, an invalid database name) stops the start with one line instead. MongoDB that
 * cannot be reached is only a warning: it may come up after the job, and the sink waits for it.
 * Where the write passes, it also creates the indexes readers of the highlights use ({@link
 * MongoIndexes}).
 */
public final class MongoPreflight {

  private static final Logger LOG = LoggerFactory.getLogger(MongoPreflight.class);

  /** What a database name must be, for error messages. */
  public static final String DATABASE_NAME_ACCEPTS =
      "a MongoDB database name: 1-63 bytes, no spaces, none of / \\ . \" $ * < > : ? and no"
          + " vertical bar";

  /** Where the probe document is written and deleted again. */
  static final String PROBE_COLLECTION = "preflight";

  /** How long the check waits for a server before it calls MongoDB unreachable. */
  static final long WAIT_MILLIS = 10_000;

  // Server error codes that no retry fixes.
  private static final Set<Integer> PERMANENT =
      Set.of(
          13, // Unauthorized: the user lacks the privilege (no readWrite role)
          18, // AuthenticationFailed
          73, // InvalidNamespace
          8000 // Atlas: "user is not allowed to do action"
          );

  private static final String FORBIDDEN = "/\\. \"$*<>:|?\0";

  /** What the check found, when it lets the job start. */
  public enum Outcome {
    WRITABLE,
    /** Unreachable, or an error a retry may fix: the job starts and the sink waits. */
    NOT_CHECKED
  }

  private MongoPreflight() {}

  /** MongoDB's rules for database names (the stricter Windows set, which Atlas applies too). */
  public static boolean isValidDatabaseName(String name) {
    if (name == null || name.isEmpty() || name.getBytes(StandardCharsets.UTF_8).length >= 64) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      if (FORBIDDEN.indexOf(name.charAt(i)) >= 0 || Character.isWhitespace(name.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Writes and deletes a probe document in {@code database}, then creates the missing {@link
   * MongoIndexes}.
   *
   * @throws RefusedException when MongoDB refuses the credentials, the write or the name
   */
  public static Outcome check(String uri, String database) {
    return check(uri, database, WAIT_MILLIS);
  }

  static Outcome check(String uri, String database, long waitMillis) {
    if (!isValidDatabaseName(database)) {
      throw new RefusedException("'" + database + "' is not " + DATABASE_NAME_ACCEPTS);
    }
    ConnectionString connection;
    try {
      connection = new ConnectionString(uri);
    } catch (IllegalArgumentException e) {
      // Not the driver's message: for some malformed URIs it repeats the password
      // (CVE-2026-129931, fixed in driver 5.15.0).
      throw new RefusedException(
          "the MongoDB URI is not a connection string (mongodb://[user:password@]host[:port]"
              + "[/database][?options] or mongodb+srv://...)");
    }
    MongoClientSettings settings =
        MongoClientSettings.builder()
            .applyConnectionString(connection)
            .applyToClusterSettings(
                b -> b.serverSelectionTimeout(waitMillis, TimeUnit.MILLISECONDS))
            .applyToSocketSettings(
                b ->
                    b.connectTimeout((int) waitMillis, TimeUnit.MILLISECONDS)
                        .readTimeout((int) waitMillis, TimeUnit.MILLISECONDS))
            .build();
    try (MongoClient client = MongoClients.create(settings)) {
      MongoDatabase db = client.getDatabase(database);
      MongoCollection<Document> probe = db.getCollection(PROBE_COLLECTION);
      Object id = "stream-highlights-" + UUID.randomUUID();
      probe.insertOne(new Document("_id", id).append("purpose", "write check at start"));
      try {
        probe.deleteOne(Filters.eq("_id", id));
      } catch (MongoException e) {
        // The sink upserts and never deletes: a role without remove is enough for it.
        LOG.warn(
            "MongoDB preflight: the probe document stays in '{}.{}' ({})",
            database,
            PROBE_COLLECTION,
            e.getMessage());
      }
      checkValidators(db);
      MongoIndexes.create(db);
      return Outcome.WRITABLE;
    } catch (MongoSecurityException e) {
      throw refused(database, "refused the credentials in the URI", e);
    } catch (MongoServerException e) {
      if (PERMANENT.contains(e.getCode()) || isPermanent(e.getCause())) {
        throw refused(database, "refused the write", e);
      }
      LOG.warn(
          "MongoDB preflight: a probe write to '{}' failed ({}); starting anyway",
          database,
          e.getMessage());
      return Outcome.NOT_CHECKED;
    } catch (IllegalArgumentException e) {
      // The driver's own checks of names and URIs.
      throw new RefusedException("MongoDB database '" + database + "': " + e.getMessage());
    } catch (MongoException e) {
      LOG.warn(
          "MongoDB is not reachable at start ({}); the job starts and the sink waits for it",
          e.getClass().getSimpleName());
      return Outcome.NOT_CHECKED;
    }
  }

  private static boolean isPermanent(Throwable cause) {
    return cause instanceof MongoServerException s && PERMANENT.contains(s.getCode());
  }

  private static RefusedException refused(String database, String what, MongoException e) {
    String reason =
        e instanceof MongoCommandException c
            ? c.getErrorCodeName() + ": " + c.getErrorMessage()
            : e instanceof MongoWriteException w
                ? w.getError().getCode() + ": " + w.getError().getMessage()
                : e.getMessage();
    return new RefusedException(
        "MongoDB "
            + what
            + " for database '"
            + database
            + "' ("
            + oneLine(reason)
            + "); the job needs a user that may insert and update there (role readWrite)");
  }

  /**
   * A validator on a collection the job writes can refuse its documents; the sink would then wait
   * for a store that never takes them and fail the job, again after every restart. Where the job's
   * collections have a validator (not in "warn" mode), a document of the job's own shape is
   * inserted there and removed: refused, the job does not start.
   */
  private static void checkValidators(MongoDatabase db) {
    List<String> validated = new ArrayList<>();
    List<Document> collections;
    try {
      collections = db.listCollections().into(new ArrayList<>());
    } catch (MongoException e) {
      return; // may not list collections: nothing to check
    }
    for (Document c : collections) {
      String name = c.getString("name");
      Document options = c.get("options", Document.class);
      if ((MongoSinks.HIGHLIGHTS.equals(name) || MongoSinks.ACTIVITY_HOURLY.equals(name))
          && options != null
          && options.get("validator") != null
          && !"warn".equals(options.getString("validationAction"))) {
        validated.add(name);
      }
    }
    for (String name : validated) {
      MongoCollection<org.bson.BsonDocument> collection =
          db.getCollection(name, org.bson.BsonDocument.class);
      org.bson.BsonString id =
          new org.bson.BsonString("stream-highlights-preflight-" + UUID.randomUUID());
      try {
        write(name, collection, id);
      } catch (MongoServerException e) {
        // A write error in MongoDB's answer, or the whole command refused.
        if (e.getCode() == DOCUMENT_VALIDATION_FAILURE) {
          String reason =
              e instanceof MongoWriteException w
                  ? w.getError().getMessage()
                  : e instanceof MongoCommandException c ? c.getErrorMessage() : e.getMessage();
          throw new RefusedException(
              "MongoDB collection '"
                  + db.getName()
                  + "."
                  + name
                  + "' refuses the job's documents ("
                  + DOCUMENT_VALIDATION_FAILURE
                  + ": "
                  + oneLine(reason)
                  + "); change its validator or store into another database");
        }
        throw e;
      }
      try {
        collection.deleteOne(Filters.eq("_id", id));
      } catch (MongoException e) {
        LOG.warn(
            "MongoDB preflight: the sample document stays in '{}.{}' ({})",
            db.getName(),
            name,
            e.getMessage());
      }
    }
  }

  /** MongoDB's error code for a document its collection's validator refuses. */
  static final int DOCUMENT_VALIDATION_FAILURE = 121;

  /**
   * Writes a document of the job's shape into {@code collection} as the job does, under an id no
   * window ever has: a highlight inserted, a window's count upserted into a channel's hour.
   */
  private static void write(
      String collection, MongoCollection<org.bson.BsonDocument> documents, org.bson.BsonString id) {
    String channel = "stream_highlights_preflight";
    if (MongoSinks.HIGHLIGHTS.equals(collection)) {
      dev.streamhighlights.job.model.Highlight h =
          new dev.streamhighlights.job.model.Highlight(
              channel, "0", 0, 10_000, 10_000, 10, 2.0, 8.0, 0.9, 1, 60, 0, "excess");
      org.bson.BsonDocument doc =
          MongoDocuments.highlight(
              new dev.streamhighlights.job.model.StoredHighlight(
                  h,
                  dev.streamhighlights.job.model.ClipResult.withoutClip(
                      dev.streamhighlights.job.model.ClipStatus.OFFLINE, null)));
      doc.put("_id", id);
      documents.insertOne(doc);
    } else {
      var upsert =
          MongoDocuments.activity(
              new dev.streamhighlights.job.model.ChannelActivity(
                  channel, "0", 0, 10_000, 10, true));
      documents.updateOne(
          new org.bson.BsonDocument("_id", id), upsert.getUpdate(), upsert.getOptions());
    }
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s+", " ").trim();
  }

  /**
   * MongoDB refuses what the job would do (credentials, role, validator, name): no restart fixes
   * it. The message is one line and never holds the URI.
   */
  public static final class RefusedException extends RuntimeException {

    RefusedException(String message) {
      super(message, null, false, false);
    }
  }
}
