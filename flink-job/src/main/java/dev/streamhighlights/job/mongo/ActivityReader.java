package dev.streamhighlights.job.mongo;

import static dev.streamhighlights.job.mongo.MongoDocuments.ACTIVITY_BUCKET_MILLIS;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import dev.streamhighlights.job.model.ChannelActivity;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonValue;
import org.bson.conversions.Bson;

/**
 * Reads the stored activity (one document per channel and hour, see {@link
 * MongoDocuments#activity(ChannelActivity)}) back as the windows the job counted: one {@link
 * ChannelActivity} per stored window, {@code watchStarted} where the window is marked partial.
 */
public final class ActivityReader {

  private ActivityReader() {}

  /** The channel's windows that start in [{@code fromMillis}, {@code toMillis}), oldest first. */
  public static List<ChannelActivity> windows(
      MongoDatabase db, String channel, long fromMillis, long toMillis) {
    long firstHour = hourOf(fromMillis);
    Bson filter =
        Filters.and(
            Filters.eq("channel", channel),
            Filters.gte("hour", new Date(firstHour)),
            Filters.lt("hour", new Date(toMillis)));
    // The _id range lets MongoDB use the _id index, so reading needs no other index. Ids compare
    // as strings: exact only where both ends have as many digits (any time from 2001 to 2286).
    String from = MongoDocuments.activityId(channel, firstHour);
    String to = MongoDocuments.activityId(channel, toMillis);
    if (from.length() == to.length()) {
      filter = Filters.and(Filters.gte("_id", from), Filters.lt("_id", to), filter);
    }
    return read(db, filter, Sorts.ascending("hour"), fromMillis, toMillis);
  }

  /**
   * Every channel's windows that start in [{@code fromMillis}, {@code toMillis}), by channel and
   * then oldest first. It reads every channel's hours: for tests and small databases.
   */
  public static List<ChannelActivity> windows(MongoDatabase db, long fromMillis, long toMillis) {
    Bson filter =
        Filters.and(
            Filters.gte("hour", new Date(hourOf(fromMillis))),
            Filters.lt("hour", new Date(toMillis)));
    return read(db, filter, Sorts.ascending("channel", "hour"), fromMillis, toMillis);
  }

  /** Every stored window of every channel, by channel and then oldest first. */
  public static List<ChannelActivity> all(MongoDatabase db) {
    return windows(db, Long.MIN_VALUE / 2, Long.MAX_VALUE);
  }

  private static List<ChannelActivity> read(
      MongoDatabase db, Bson filter, Bson sort, long fromMillis, long toMillis) {
    List<ChannelActivity> windows = new ArrayList<>();
    for (BsonDocument hour :
        db.getCollection(MongoSinks.ACTIVITY_HOURLY, BsonDocument.class).find(filter).sort(sort)) {
      for (ChannelActivity a : windows(hour)) {
        if (a.windowStart() >= fromMillis && a.windowStart() < toMillis) {
          windows.add(a);
        }
      }
    }
    return windows;
  }

  /** The windows one document holds, oldest first. */
  static List<ChannelActivity> windows(BsonDocument doc) {
    long hour = doc.getDateTime("hour").getValue();
    long length = doc.getNumber("windowMillis").longValue();
    BsonArray partial = doc.getArray("partial", new BsonArray());
    Map<Long, ChannelActivity> byStart = new TreeMap<>();
    for (Map.Entry<String, BsonValue> e : doc.getDocument("counts").entrySet()) {
      int offset = Integer.parseInt(e.getKey());
      // The key is the window's start in whole seconds from the hour's; the window starts at the
      // one multiple of its length (at least 1 s) within that second.
      long start = hour + offset * 1000L;
      start += Math.floorMod(-start, length);
      byStart.put(
          start,
          new ChannelActivity(
              doc.getString("channel").getValue(),
              doc.getString("channelId").getValue(),
              start,
              start + length,
              e.getValue().asNumber().longValue(),
              partial.contains(new BsonInt32(offset))));
    }
    return new ArrayList<>(byStart.values());
  }

  private static long hourOf(long millis) {
    return Math.floorDiv(millis, ACTIVITY_BUCKET_MILLIS) * ACTIVITY_BUCKET_MILLIS;
  }
}
