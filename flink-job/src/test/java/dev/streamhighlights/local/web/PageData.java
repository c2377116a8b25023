package dev.streamhighlights.local.web;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.UpdateOneModel;
import dev.streamhighlights.job.model.ChannelActivity;
import dev.streamhighlights.job.model.ClipResult;
import dev.streamhighlights.job.model.ClipStatus;
import dev.streamhighlights.job.model.Highlight;
import dev.streamhighlights.job.model.StoredHighlight;
import dev.streamhighlights.job.mongo.MongoDocuments;
import dev.streamhighlights.job.mongo.MongoSinks;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bson.BsonDocument;

/**
 * Highlights and activity written as the job writes them (its own document mapping), for the page's
 * tests, screenshots and benchmark.
 */
final class PageData {

  static final long WINDOW = 10_000;

  private final MongoDatabase db;

  PageData(MongoDatabase db) {
    this.db = db;
  }

  /** A highlight of {@code channel} whose 10 s window starts at {@code windowStart}. */
  static StoredHighlight highlight(
      String channel, long windowStart, long count, double average, double score, ClipResult clip) {
    Highlight h =
        new Highlight(
            channel,
            "id-" + Math.abs(channel.hashCode()),
            windowStart,
            windowStart + WINDOW,
            windowStart + WINDOW,
            count,
            average,
            1.5,
            score,
            1,
            60,
            windowStart - 100_000,
            "default");
    return new StoredHighlight(h, clip);
  }

  static ClipResult created(String id) {
    return new ClipResult(
        ClipStatus.CREATED,
        id,
        "https://clips.twitch.tv/" + id,
        "https://clips.twitch.tv/" + id + "/edit",
        null);
  }

  void store(StoredHighlight... highlights) {
    for (StoredHighlight s : highlights) {
      db.getCollection(MongoSinks.HIGHLIGHTS, BsonDocument.class)
          .insertOne(MongoDocuments.highlight(s));
    }
  }

  void storeAll(List<StoredHighlight> highlights) {
    List<BsonDocument> docs = new ArrayList<>();
    for (StoredHighlight s : highlights) {
      docs.add(MongoDocuments.highlight(s));
      if (docs.size() == 1000) {
        db.getCollection(MongoSinks.HIGHLIGHTS, BsonDocument.class).insertMany(docs);
        docs.clear();
      }
    }
    if (!docs.isEmpty()) {
      db.getCollection(MongoSinks.HIGHLIGHTS, BsonDocument.class).insertMany(docs);
    }
  }

  /** The channel's windows in [from, to) with the given counts (0 = not stored, as the job). */
  void activity(String channel, long from, long to, Counts counts) {
    List<UpdateOneModel<BsonDocument>> writes = new ArrayList<>();
    for (long t = from; t < to; t += WINDOW) {
      long c = counts.at(t);
      if (c > 0) {
        writes.add(
            MongoDocuments.activity(
                new ChannelActivity(channel, "id", t, t + WINDOW, c, t == from)));
      }
      if (writes.size() == 1000) {
        flush(writes);
      }
    }
    flush(writes);
  }

  private void flush(List<UpdateOneModel<BsonDocument>> writes) {
    if (!writes.isEmpty()) {
      db.getCollection(MongoSinks.ACTIVITY_HOURLY, BsonDocument.class)
          .bulkWrite(writes, new BulkWriteOptions().ordered(true));
      writes.clear();
    }
  }

  /** Messages in the window starting at {@code t}. */
  interface Counts {
    long at(long t);
  }

  /**
   * Chat of about {@code base} messages per window with noise, rising to {@code peak} in the
   * windows starting at each of {@code surges} and falling off after.
   */
  static Counts chat(long seed, double base, long peak, long... surges) {
    return t -> {
      // Mixed, as consecutive seeds give java.util.Random nearly equal first values.
      Random r = new Random(seed * 1_000_003L ^ (t / WINDOW) * 0x9E3779B97F4A7C15L);
      r.nextLong();
      double c = base * (0.55 + 0.9 * r.nextDouble());
      for (long s : surges) {
        long d = (t - s) / WINDOW;
        if (d == 0) {
          c = Math.max(c, peak);
        } else if (d == -1) {
          c = Math.max(c, base + (peak - base) * 0.35);
        } else if (d > 0 && d <= 8) {
          c = Math.max(c, base + (peak - base) * Math.pow(0.62, d));
        }
      }
      return Math.round(c);
    };
  }
}
