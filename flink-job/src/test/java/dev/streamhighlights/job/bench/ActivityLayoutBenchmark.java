package dev.streamhighlights.job.bench;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.WriteModel;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.streamhighlights.job.model.ChannelActivity;
import dev.streamhighlights.job.mongo.MongoDocuments;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.RawBsonDocument;

/**
 * Activity documents for N channels over a day of 10 s windows, in the layout before issue 14 (one
 * document per channel and window) against one per channel and hour and one per channel and day:
 * documents, update operations, writes/s against mongo-java-server (memory backend, one client,
 * ordered bulk writes of 1,000 as the sink sends them) and BSON bytes per channel-day (the sum of
 * the stored documents' sizes; a real MongoDB's storage size, compressed and with indexes, is not
 * measurable here). Chat rates follow Zipf (exponent 1) over Twitch's about 100,000 live channels
 * and 2,000 messages/s; the N channels are every (100,000 / N)th by rank, so most of their windows
 * are quiet, as on Twitch. Run it with {@code bin/benchmark activity [CHANNELS] [HOURS]
 * [window,hour,day]}.
 */
public final class ActivityLayoutBenchmark {

  static final int TWITCH_CHANNELS = 100_000;
  static final double TWITCH_MESSAGES_PER_SECOND = 2_000;
  static final long WINDOW = 10_000;
  static final long T0 = 1_700_006_400_000L; // a day's start (UTC)
  static final int BATCH = 1_000;

  public static void main(String[] args) {
    int channels = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
    int hours = args.length > 1 ? Integer.parseInt(args[1]) : 24;
    Set<String> layouts = Set.of((args.length > 2 ? args[2] : "window,hour,day").split(","));
    int windows = hours * 360;
    long[][] counts = counts(channels, windows);

    long nonEmpty = 0;
    Set<Long> channelMinutes = new HashSet<>();
    for (int c = 0; c < channels; c++) {
      for (int w = 0; w < windows; w++) {
        if (counts[c][w] > 0) {
          nonEmpty++;
          channelMinutes.add((long) c * windows + w / 6);
        }
      }
    }
    long all = (long) channels * windows;
    System.out.printf(
        Locale.ROOT,
        "%,d channels x %d h of 10 s windows: %,d windows, %,d with messages (%.1f%%: quiet"
            + " windows are not written); a channel's windows combined per minute would be %,d"
            + " updates (%.2f per update)%n",
        channels,
        hours,
        all,
        nonEmpty,
        100.0 * nonEmpty / all,
        channelMinutes.size(),
        (double) nonEmpty / channelMinutes.size());
    System.out.printf(
        Locale.ROOT,
        "the same model at %,d channels: %,.0f windows with messages per second (%,d if every"
            + " window were written)%n",
        TWITCH_CHANNELS,
        twitchWritesPerSecond(),
        TWITCH_CHANNELS / (WINDOW / 1000));

    System.out.println(
        "layout        documents   updates   seconds  writes/s  bytes/channel-day  bytes/doc"
            + "  largest doc");
    if (layouts.contains("window")) {
      run("per window", channels, hours, counts, ActivityLayoutBenchmark::perWindow);
    }
    if (layouts.contains("hour")) {
      run("per hour", channels, hours, counts, MongoDocuments::activity);
    }
    if (layouts.contains("day")) {
      run("per day", channels, hours, counts, a -> MongoDocuments.activity(a, 86_400_000));
    }
  }

  private static void run(
      String layout,
      int channels,
      int hours,
      long[][] counts,
      Function<ChannelActivity, UpdateOneModel<BsonDocument>> update) {
    MongoServer server = new MongoServer(new MemoryBackend());
    try (MongoClient client =
        MongoClients.create(
            "mongodb://127.0.0.1:" + server.bind().getPort())) { // random port on localhost
      MongoCollection<BsonDocument> activity =
          client.getDatabase("bench").getCollection("activity", BsonDocument.class);
      List<WriteModel<BsonDocument>> batch = new ArrayList<>(BATCH);
      long updates = 0;
      long started = System.nanoTime();
      // As the job emits them: every channel's window w, then window w + 1.
      for (int w = 0; w < counts[0].length; w++) {
        long start = T0 + w * WINDOW;
        for (int c = 0; c < channels; c++) {
          if (counts[c][w] == 0) {
            continue;
          }
          batch.add(
              update.apply(
                  new ChannelActivity(
                      "channel_" + c,
                      "" + (100_000 + c),
                      start,
                      start + WINDOW,
                      counts[c][w],
                      w == 0)));
          updates++;
          if (batch.size() == BATCH) {
            activity.bulkWrite(batch);
            batch.clear();
          }
        }
      }
      if (!batch.isEmpty()) {
        activity.bulkWrite(batch);
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      long documents = 0;
      long bytes = 0;
      long largest = 0;
      for (RawBsonDocument d :
          activity.withDocumentClass(RawBsonDocument.class).find().batchSize(10_000)) {
        documents++;
        bytes += d.getByteBuffer().remaining();
        largest = Math.max(largest, d.getByteBuffer().remaining());
      }
      System.out.printf(
          Locale.ROOT,
          "%-11s %,11d %,9d %9.1f %,9.0f %,18.0f %,10.0f %,12d%n",
          layout,
          documents,
          updates,
          seconds,
          updates / seconds,
          bytes / (channels * hours / 24.0),
          (double) bytes / documents,
          largest);
    } finally {
      server.shutdownNow();
    }
  }

  /** The layout before issue 14: one document per channel and window, as the sink wrote it. */
  private static UpdateOneModel<BsonDocument> perWindow(ChannelActivity a) {
    BsonDocument onInsert =
        new BsonDocument("channel", new BsonString(a.channel()))
            .append("channelId", new BsonString(a.channelId()))
            .append("windowStart", new BsonDateTime(a.windowStart()))
            .append("windowEnd", new BsonDateTime(a.windowEnd()));
    if (a.watchStarted()) {
      onInsert.append("partial", BsonBoolean.TRUE);
    }
    return new UpdateOneModel<>(
        new BsonDocument("_id", new BsonString(a.id())),
        new BsonDocument("$max", new BsonDocument("count", new BsonInt64(a.count())))
            .append("$setOnInsert", onInsert),
        new UpdateOptions().upsert(true));
  }

  /** Messages per window: Poisson around each sampled channel's Zipf rate. */
  private static long[][] counts(int channels, int windows) {
    Random random = new Random(14);
    long[][] counts = new long[channels][windows];
    for (int c = 0; c < channels; c++) {
      double rate = perWindow(1 + (long) c * (TWITCH_CHANNELS / channels));
      for (int w = 0; w < windows; w++) {
        counts[c][w] = poisson(rate, random);
      }
    }
    return counts;
  }

  /** Expected messages per 10 s window of the channel at Zipf rank {@code rank}. */
  private static double perWindow(long rank) {
    double harmonic = 0;
    for (int r = 1; r <= TWITCH_CHANNELS; r++) {
      harmonic += 1.0 / r;
    }
    return TWITCH_MESSAGES_PER_SECOND * WINDOW / 1000 / harmonic / rank;
  }

  /** Windows with at least one message per second over all Twitch channels, in the model. */
  private static double twitchWritesPerSecond() {
    double harmonic = 0;
    for (int r = 1; r <= TWITCH_CHANNELS; r++) {
      harmonic += 1.0 / r;
    }
    double perSecond = 0;
    for (int r = 1; r <= TWITCH_CHANNELS; r++) {
      double rate = TWITCH_MESSAGES_PER_SECOND * WINDOW / 1000 / harmonic / r;
      perSecond += (1 - Math.exp(-rate)) / (WINDOW / 1000.0);
    }
    return perSecond;
  }

  private static long poisson(double mean, Random random) {
    if (mean > 50) {
      return Math.max(0, Math.round(mean + Math.sqrt(mean) * random.nextGaussian()));
    }
    double limit = Math.exp(-mean);
    double p = random.nextDouble();
    long n = 0;
    while (p > limit) {
      p *= random.nextDouble();
      n++;
    }
    return n;
  }
}
