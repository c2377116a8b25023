package dev.streamhighlights.local.web;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Accumulators;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import dev.streamhighlights.job.model.ChannelActivity;
import dev.streamhighlights.job.model.HighlightSchema;
import dev.streamhighlights.job.model.StoredHighlight;
import dev.streamhighlights.job.mongo.ActivityReader;
import dev.streamhighlights.job.mongo.MongoDocuments;
import dev.streamhighlights.job.mongo.MongoIndexes;
import dev.streamhighlights.job.mongo.MongoSinks;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * What the page reads from MongoDB, as JSON-ready maps and lists. Read-only: finds, one aggregation
 * and the index list, nothing else. A highlight is read by {@link HighlightSchema}'s field names
 * and passed on as stored: a value of an unexpected type is shown, not refused.
 */
final class HighlightQueries {

  /** The most highlights one request returns, and the furthest it pages. */
  static final int MAX_LIMIT = 500;

  static final int MAX_OFFSET = 10_000;

  /** The longest activity range one request reads: a day of 10 s windows is 8,640. */
  static final long MAX_ACTIVITY_MILLIS = 24 * 3_600_000L;

  /** The channels list covers the channels with highlights this long before the newest one. */
  static final long CHANNELS_SPAN_MILLIS = 30 * 24 * 3_600_000L;

  static final int MAX_CHANNELS = 1000;

  private final MongoDatabase db;
  private final MongoCollection<BsonDocument> highlights;

  HighlightQueries(MongoDatabase db) {
    this.db = db;
    this.highlights = db.getCollection(MongoSinks.HIGHLIGHTS, BsonDocument.class);
  }

  /** How highlights are ordered. */
  enum Order {
    NEWEST,
    TOP
  }

  /** Highlights of one channel (or all, null) detected in [from, to) (null: open), in order. */
  List<Map<String, Object>> highlights(
      String channel, Long from, Long to, Order order, int offset, int limit) {
    List<Bson> filters = new ArrayList<>();
    if (channel != null) {
      filters.add(Filters.eq(HighlightSchema.CHANNEL.name(), channel));
    }
    if (from != null) {
      filters.add(Filters.gte(HighlightSchema.DETECTED_AT.name(), new Date(from)));
    }
    if (to != null) {
      filters.add(Filters.lt(HighlightSchema.DETECTED_AT.name(), new Date(to)));
    }
    // The sorts of MongoIndexes: with the index, a first page reads only the documents it shows.
    Bson sort =
        order == Order.TOP
            ? Sorts.descending(HighlightSchema.SCORE.name(), "_id")
            : Sorts.descending(HighlightSchema.DETECTED_AT.name(), "_id");
    List<Map<String, Object>> out = new ArrayList<>();
    for (BsonDocument doc :
        highlights
            .find(filters.isEmpty() ? new BsonDocument() : Filters.and(filters))
            .sort(sort)
            .skip(offset)
            .limit(limit)) {
      out.add(highlight(doc));
    }
    return out;
  }

  /** The highlight with this id, or null. */
  Map<String, Object> highlight(String id) {
    BsonDocument doc = highlights.find(Filters.eq("_id", id)).first();
    return doc == null ? null : highlight(doc);
  }

  /**
   * The channel's 10 s windows in [from, to): {@code windows} as [start, count, partial] triples,
   * oldest first. A missing end is {@code spanMillis} from the other, and with neither the range is
   * the {@code spanMillis} up to the end of the channel's newest stored window.
   */
  Map<String, Object> activity(String channel, Long from, Long to, long spanMillis) {
    if (from == null && to == null) {
      to = newestActivityEnd(channel);
    }
    if (to == null) {
      to = from + spanMillis;
    }
    if (from == null) {
      from = to - spanMillis;
    }
    if (from >= to) {
      throw new Params.BadRequest("from must be before to");
    }
    if (to - from > MAX_ACTIVITY_MILLIS) {
      throw new Params.BadRequest("from-to spans more than 24 h; ask for a shorter range");
    }
    List<ChannelActivity> windows = ActivityReader.windows(db, channel, from, to);
    List<Object[]> rows = new ArrayList<>(windows.size());
    long windowMillis = 0;
    for (ChannelActivity w : windows) {
      rows.add(new Object[] {w.windowStart(), w.count(), w.watchStarted()});
      windowMillis = w.windowEnd() - w.windowStart();
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("channel", channel);
    out.put("from", from);
    out.put("to", to);
    out.put("windowMillis", windowMillis == 0 ? null : windowMillis);
    out.put("windows", rows);
    return out;
  }

  /** The end of the channel's newest stored window, or now when nothing is stored. */
  private long newestActivityEnd(String channel) {
    // Ids are channel:<hour millis>, so the channel's hours are the ids from "channel:" up to
    // "channel;" (';' follows ':'), and the newest hour the greatest of them.
    BsonDocument hour =
        db.getCollection(MongoSinks.ACTIVITY_HOURLY, BsonDocument.class)
            .find(Filters.and(Filters.gte("_id", channel + ":"), Filters.lt("_id", channel + ";")))
            .sort(Sorts.descending("_id"))
            .first();
    if (hour == null) {
      return System.currentTimeMillis();
    }
    long end = Long.MIN_VALUE;
    long start = hourStart(hour);
    for (ChannelActivity w :
        ActivityReader.windows(db, channel, start, start + MongoDocuments.ACTIVITY_BUCKET_MILLIS)) {
      end = Math.max(end, w.windowEnd());
    }
    return end == Long.MIN_VALUE ? System.currentTimeMillis() : end;
  }

  private static long hourStart(BsonDocument hour) {
    BsonValue h = hour.get("hour");
    return h != null && h.isDateTime() ? h.asDateTime().getValue() : 0;
  }

  /**
   * The channels with highlights in the 30 days up to the newest one, the latest first, each with
   * its number of highlights there and its newest highlight's time.
   */
  List<Map<String, Object>> channels() {
    BsonDocument newest =
        highlights.find().sort(Sorts.descending(HighlightSchema.DETECTED_AT.name(), "_id")).first();
    if (newest == null || !newest.isDateTime(HighlightSchema.DETECTED_AT.name())) {
      return List.of();
    }
    long since =
        newest.getDateTime(HighlightSchema.DETECTED_AT.name()).getValue() - CHANNELS_SPAN_MILLIS;
    List<Map<String, Object>> out = new ArrayList<>();
    for (Document d :
        db.getCollection(MongoSinks.HIGHLIGHTS)
            .aggregate(
                List.of(
                    Aggregates.match(
                        Filters.gte(HighlightSchema.DETECTED_AT.name(), new Date(since))),
                    Aggregates.group(
                        "$" + HighlightSchema.CHANNEL.name(),
                        Accumulators.sum("highlights", 1),
                        Accumulators.max("last", "$" + HighlightSchema.DETECTED_AT.name())),
                    Aggregates.sort(Sorts.descending("last")),
                    Aggregates.limit(MAX_CHANNELS)))) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("channel", d.get("_id") == null ? null : String.valueOf(d.get("_id")));
      c.put("highlights", d.get("highlights"));
      c.put("last", d.get("last") instanceof Date t ? t.getTime() : null);
      out.add(c);
    }
    return out;
  }

  /** What the page tells about the database: its name, size and missing indexes. */
  Map<String, Object> status() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("database", db.getName());
    out.put("highlights", highlights.estimatedDocumentCount());
    out.put("missingIndexes", MongoIndexes.missing(db));
    out.put("readOnly", true);
    return out;
  }

  /** A stored highlight as JSON: the schema's fields by name, times as epoch milliseconds. */
  static Map<String, Object> highlight(BsonDocument doc) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (HighlightSchema.Field<StoredHighlight> f : HighlightSchema.DOCUMENT) {
      BsonValue v = doc.get(f == HighlightSchema.ID ? "_id" : f.name());
      out.put(f.name(), json(v));
    }
    return out;
  }

  /** A BSON value as a JSON-ready Java value; a number JSON cannot hold (NaN, infinity) is null. */
  static Object json(BsonValue v) {
    if (v == null || v.isNull()) {
      return null;
    }
    return switch (v.getBsonType()) {
      case STRING -> v.asString().getValue();
      case DATE_TIME -> v.asDateTime().getValue();
      case INT32 -> v.asInt32().getValue();
      case INT64 -> v.asInt64().getValue();
      case DOUBLE -> {
        double d = v.asDouble().getValue();
        yield Double.isFinite(d) ? d : null;
      }
      case BOOLEAN -> v.asBoolean().getValue();
      case DOCUMENT -> {
        Map<String, Object> m = new LinkedHashMap<>();
        v.asDocument().forEach((k, x) -> m.put(k, json(x)));
        yield m;
      }
      case ARRAY -> v.asArray().getValues().stream().map(HighlightQueries::json).toList();
      case OBJECT_ID -> v.asObjectId().getValue().toHexString();
      default -> v.toString();
    };
  }
}
