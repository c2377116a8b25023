package dev.streamhighlights.job.mongo;

import dev.streamhighlights.job.model.ChannelActivity;
import dev.streamhighlights.job.model.ClipResult;
import dev.streamhighlights.job.model.Highlight;
import dev.streamhighlights.job.model.StoredHighlight;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonValue;

/** The documents the job stores. Times are BSON dates; ids are deterministic (channel:window). */
public final class MongoDocuments {

  private MongoDocuments() {}

  public static BsonDocument highlight(StoredHighlight stored) {
    Highlight h = stored.highlight();
    ClipResult c = stored.clip();
    return new BsonDocument("_id", new BsonString(h.id()))
        .append("channel", new BsonString(h.channel()))
        .append("channelId", new BsonString(h.channelId()))
        .append("windowStart", new BsonDateTime(h.windowStart()))
        .append("windowEnd", new BsonDateTime(h.windowEnd()))
        .append("detectedAt", new BsonDateTime(h.detectedAt()))
        .append("count", new BsonInt64(h.count()))
        .append("movingAverage", new BsonDouble(h.movingAverage()))
        .append("derivative", new BsonDouble(h.derivative()))
        .append("score", new BsonDouble(h.score()))
        .append("surges", new BsonInt32(h.surges()))
        .append("clipSeconds", new BsonInt32(h.clipSeconds()))
        .append("rule", new BsonString(h.rule()))
        .append("clip", clip(c));
  }

  /** A clip request's outcome, as stored in a highlight and in the clip ledger. */
  public static BsonDocument clip(ClipResult c) {
    return new BsonDocument("status", new BsonString(c.status().wire()))
        .append("id", stringOrNull(c.clipId()))
        .append("url", stringOrNull(c.url()))
        .append("editUrl", stringOrNull(c.editUrl()))
        .append("error", stringOrNull(c.error()));
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

  private static BsonValue stringOrNull(String s) {
    return s == null ? BsonNull.VALUE : new BsonString(s);
  }
}
