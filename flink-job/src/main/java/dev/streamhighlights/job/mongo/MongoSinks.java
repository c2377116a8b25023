package dev.streamhighlights.job.mongo;

import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import dev.streamhighlights.job.model.ChannelActivity;
import dev.streamhighlights.job.model.HighlightSchema;
import dev.streamhighlights.job.model.StoredHighlight;
import java.time.Duration;
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
 * with {@code $max} (a window's count in its channel's hour, see {@link
 * MongoDocuments#activity(ChannelActivity)}). A highlight's fields are written once ({@code
 * $setOnInsert}); only its clip outcome is updated, and the clip ledger gives a repeated highlight
 * the outcome it had.
 */
public final class MongoSinks {

  public static final String HIGHLIGHTS = "highlights";

  /**
   * The 10 s counts, one document per channel and hour. A new name, so documents of the earlier
   * layout (one per window, in {@code activity}) are never mixed with these.
   */
  public static final String ACTIVITY_HOURLY = "activityHourly";

  /** Writes are batched but never held longer than this, so a highlight shows up quickly. */
  private static final long FLUSH_INTERVAL_MS = 500;

  private static final int BATCH_SIZE = 1000;

  /**
   * How long the sinks wait for an unreachable MongoDB before they fail the job. Meanwhile the job
   * is backpressured: chat waits in the source's queue and the chat connections (which the watchdog
   * leaves alone while the job is behind), windows wait to be written, and nothing is lost. The
   * connector retries a batch with linearly growing pauses (1 s, 2 s, 3 s, ...), each attempt
   * waiting up to {@link #SERVER_SELECTION_MS} for a server.
   */
  public static final Duration OUTAGE_TOLERANCE = Duration.ofMinutes(10);

  /** How long one write attempt looks for a server, unless the URI says otherwise. */
  static final int SERVER_SELECTION_MS = 5_000;

  static final int MAX_RETRIES = retriesFor(OUTAGE_TOLERANCE);

  private MongoSinks() {}

  public static MongoSink<StoredHighlight> highlights(String uri, String database) {
    return upserting(uri, database, HIGHLIGHTS, highlightUpsert());
  }

  /** A highlight's upsert: its fields written once, its clip outcome always the latest. */
  static MongoSerializationSchema<StoredHighlight> highlightUpsert() {
    return upsert(MongoDocuments::highlight, HighlightSchema.CLIP.name());
  }

  /**
   * The activity writer: not the connector's sink, whose writes in the task thread held up the
   * counts on their way to the detector when thousands of windows close at once (see {@link
   * ActivitySink}).
   */
  public static ActivitySink activity(String uri, String database) {
    return new ActivitySink(
        uri, database, ACTIVITY_HOURLY, ActivitySink.DEFAULT_CAPACITY, OUTAGE_TOLERANCE);
  }

  private static <T> MongoSink<T> upserting(
      String uri, String database, String collection, MongoSerializationSchema<T> upsert) {
    return MongoSink.<T>builder()
        .setUri(withServerSelectionTimeout(uri))
        .setDatabase(database)
        .setCollection(collection)
        .setBatchSize(BATCH_SIZE)
        .setBatchIntervalMs(FLUSH_INTERVAL_MS)
        .setMaxRetries(MAX_RETRIES)
        .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
        .setSerializationSchema(upsert)
        .build();
  }

  /** The retries whose pauses (1 s, 2 s, ...) and attempts together last at least {@code d}. */
  static int retriesFor(Duration d) {
    long seconds = 0;
    int n = 0;
    while (seconds < d.toSeconds()) {
      n++;
      seconds += n + SERVER_SELECTION_MS / 1000;
    }
    return n;
  }

  /**
   * The URI with a server selection timeout of {@link #SERVER_SELECTION_MS} unless it sets one: the
   * driver's default of 30 s per attempt would make the retries coarse.
   */
  static String withServerSelectionTimeout(String uri) {
    if (uri.toLowerCase(java.util.Locale.ROOT).contains("serverselectiontimeoutms=")) {
      return uri;
    }
    String param = "serverSelectionTimeoutMS=" + SERVER_SELECTION_MS;
    int query = uri.indexOf('?');
    if (query >= 0) {
      return uri + (query == uri.length() - 1 ? "" : "&") + param;
    }
    int hosts = uri.indexOf("://") + 3;
    return uri + (uri.indexOf('/', hosts) >= 0 ? "?" : "/?") + param;
  }

  /**
   * An upsert of the mapped document by its {@code _id}: {@code setField} always overwritten, every
   * other field written when the document is created.
   */
  static <T> MongoSerializationSchema<T> upsert(
      SerializableDocumentFunction<T> toDocument, String setField) {
    return (element, context) -> update(toDocument.apply(element), setField);
  }

  static UpdateOneModel<BsonDocument> update(BsonDocument doc, String setField) {
    BsonDocument onInsert = new BsonDocument();
    BsonDocument update = new BsonDocument();
    for (var e : doc.entrySet()) {
      String field = e.getKey();
      if (field.equals("_id")) {
        continue;
      }
      if (field.equals(setField)) {
        update.append("$set", new BsonDocument(field, e.getValue()));
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
