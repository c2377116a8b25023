package dev.streamhighlights.job.mongo;

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
 * are BSON dates; ids are deterministic (channel:window).
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

  /**
   * A window's count; {@code partial: true} marks a window the source only partly watched (it
   * (re)started watching the channel during it), so its count may be short.
   */
  public static BsonDocument activity(ChannelActivity a) {
    BsonDocument doc =
        new BsonDocument("_id", new BsonString(a.id()))
            .append("channel", new BsonString(a.channel()))
            .append("channelId", new BsonString(a.channelId()))
            .append("windowStart", new BsonDateTime(a.windowStart()))
            .append("windowEnd", new BsonDateTime(a.windowEnd()))
            .append("count", new BsonInt64(a.count()));
    return a.watchStarted() ? doc.append("partial", org.bson.BsonBoolean.TRUE) : doc;
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
