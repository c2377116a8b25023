package dev.streamhighlights.job.mongo;

import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import dev.streamhighlights.job.model.ChannelActivity;
import dev.streamhighlights.job.model.StoredHighlight;
import java.util.function.Function;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.mongodb.sink.MongoSink;
import org.apache.flink.connector.mongodb.sink.writer.serializer.MongoSerializationSchema;
import org.bson.BsonDocument;

/**
 * MongoSinks for the two collections. Every write is an upsert by a deterministic {@code _id}, so
 * the at-least-once replay after a failure rewrites documents instead of duplicating them.
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
    return upserting(uri, database, HIGHLIGHTS, MongoDocuments::highlight);
  }

  public static MongoSink<ChannelActivity> activity(String uri, String database) {
    return upserting(uri, database, ACTIVITY, MongoDocuments::activity);
  }

  private static <T> MongoSink<T> upserting(
      String uri, String database, String collection, SerializableDocumentFunction<T> toDocument) {
    return MongoSink.<T>builder()
        .setUri(uri)
        .setDatabase(database)
        .setCollection(collection)
        .setBatchSize(BATCH_SIZE)
        .setBatchIntervalMs(FLUSH_INTERVAL_MS)
        .setMaxRetries(MAX_RETRIES)
        .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
        .setSerializationSchema(upsert(toDocument))
        .build();
  }

  private static <T> MongoSerializationSchema<T> upsert(
      SerializableDocumentFunction<T> toDocument) {
    return (element, context) -> {
      BsonDocument doc = toDocument.apply(element);
      return new ReplaceOneModel<>(
          new BsonDocument("_id", doc.get("_id")), doc, new ReplaceOptions().upsert(true));
    };
  }

  /** A document mapping that Flink can ship with the job graph. */
  @FunctionalInterface
  interface SerializableDocumentFunction<T>
      extends Function<T, BsonDocument>, java.io.Serializable {}
}
