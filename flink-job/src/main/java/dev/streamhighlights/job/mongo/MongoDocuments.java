package dev.streamhighlights.job.mongo;

import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import dev.streamhighlights.job.model.ChannelActivity;
import dev.streamhighlights.job.model.ClipResult;
import dev.streamhighlights.job.model.HighlightSchema;
import dev.streamhighlights.job.model.HighlightSchema.Field;
import dev.streamhighlights.job.model.StoredHighlight;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonValue;

/**
 * The documents the job stores; a highlight's fields are those {@link HighlightSchema} maps. Times
 * are BSON dates; ids are deterministic (channel:window for a highlight, channel:hour for
 * activity).
 */
public final class MongoDocuments {

  private MongoDocuments() {}

  /** A highlight as {@link HighlightSchema#DOCUMENT} maps it, its id as {@code _id}. */
  public static BsonDocument highlight(StoredHighlight stored) {
    BsonDocument doc = new BsonDocument();
    for (Field<StoredHighlight> f : HighlightSchema.DOCUMENT) {
      doc.append(f == HighlightSchema.ID ? "_id" : f.name(), bson(f, f.valueOf(stored)));
    }
    return doc;
  }

  /** A clip request's outcome, as stored in a highlight and in the clip ledger. */
  public static BsonDocument clip(ClipResult c) {
    BsonDocument doc = new BsonDocument();
    for (Field<ClipResult> f : HighlightSchema.Clip.FIELDS) {
      doc.append(f.name(), bson(f, f.valueOf(c)));
    }
    return doc;
  }

  /** The time one activity document covers: a channel's hour, up to 360 windows of 10 s. */
  public static final long ACTIVITY_BUCKET_MILLIS = 3_600_000;

  /**
   * The upsert that stores a window's count in its channel's hour ({@link #activityId}): the count
   * under {@code counts.<seconds from the hour's start to the window's>} only rises ({@code $max}:
   * a window restored after a failure may fire again with fewer messages), a window in which the
   * source (re)started watching the channel is added to {@code partial} (its count may be short),
   * and the channel, its id, the hour and the window length are written when the hour's document is
   * created. Every part is idempotent, so a replay changes nothing.
   */
  public static UpdateOneModel<BsonDocument> activity(ChannelActivity a) {
    return activity(a, ACTIVITY_BUCKET_MILLIS);
  }

  /** As {@link #activity(ChannelActivity)} with documents of {@code bucketMillis} (benchmarks). */
  public static UpdateOneModel<BsonDocument> activity(ChannelActivity a, long bucketMillis) {
    long bucket = Math.floorDiv(a.windowStart(), bucketMillis) * bucketMillis;
    // Whole seconds keep the keys short; windows are at least 1 s long, so no two share a key.
    int offset = (int) ((a.windowStart() - bucket) / 1000);
    BsonDocument update =
        new BsonDocument(
                "$setOnInsert",
                new BsonDocument("channel", new BsonString(a.channel()))
                    .append("channelId", new BsonString(a.channelId()))
                    .append("hour", new BsonDateTime(bucket))
                    .append("windowMillis", new BsonInt32((int) (a.windowEnd() - a.windowStart()))))
            .append("$max", new BsonDocument("counts." + offset, count(a.count())));
    if (a.watchStarted()) {
      update.append("$addToSet", new BsonDocument("partial", new BsonInt32(offset)));
    }
    return new UpdateOneModel<>(
        new BsonDocument("_id", new BsonString(activityId(a.channel(), bucket))),
        update,
        new UpdateOptions().upsert(true));
  }

  /** The activity document of a channel's hour: {@code channel:<hour start, epoch ms>}. */
  public static String activityId(String channel, long hourStart) {
    return channel + ":" + hourStart;
  }

  /** A 32-bit count where it fits (4 bytes less per window); {@code $max} compares numbers. */
  private static BsonValue count(long n) {
    return n == (int) n ? new BsonInt32((int) n) : new BsonInt64(n);
  }

  /** Times are BSON dates; a required field that is null is refused (BSON strings are not null). */
  private static BsonValue bson(Field<?> f, Object v) {
    if (v == null && f.nullable()) {
      return BsonNull.VALUE;
    }
    return switch (f.type()) {
      case TEXT -> new BsonString((String) v);
      case TIME -> new BsonDateTime((Long) v);
      case LONG -> new BsonInt64((Long) v);
      case INT -> new BsonInt32((Integer) v);
      case DOUBLE -> new BsonDouble((Double) v);
      case CLIP -> clip((ClipResult) v);
    };
  }
}
