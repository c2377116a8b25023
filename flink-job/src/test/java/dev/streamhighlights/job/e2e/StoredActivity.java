package dev.streamhighlights.job.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import dev.streamhighlights.job.model.ChannelActivity;
import dev.streamhighlights.job.mongo.ActivityReader;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongPredicate;
import org.bson.Document;

/**
 * What the job stored in MongoDB for some channels, watched while a test runs: every few hundred
 * milliseconds it reads the activity windows (through {@link ActivityReader}) and remembers when
 * each first appeared and whether a count it saw ever went down (a restored window overwriting a
 * fuller count).
 */
final class StoredActivity implements AutoCloseable {

  private static final long POLL_MILLIS = 250;

  private final MongoDatabase db;
  private final MongoCollection<Document> highlights;
  private final List<String> channels;
  private final Map<String, Long> lastSeen = new ConcurrentHashMap<>();
  private final Map<String, Long> firstSeenAt = new ConcurrentHashMap<>();
  private final List<String> decreases = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile boolean stopped;

  StoredActivity(MongoClient client, Collection<String> channels) {
    this.db = client.getDatabase("stream_highlights");
    this.highlights = client.getDatabase("stream_highlights").getCollection("highlights");
    this.channels = List.copyOf(channels);
    this.thread = new Thread(this::run, "stored-activity");
    thread.setDaemon(true);
    thread.start();
  }

  /** Stored counts of the channel by window start (epoch ms); empty while MongoDB is down. */
  Map<Long, Long> counts(String channel) {
    Map<Long, Long> counts = new TreeMap<>();
    for (ChannelActivity a : ActivityReader.windows(db, channel, 0, Long.MAX_VALUE)) {
      counts.put(a.windowStart(), a.count());
    }
    return counts;
  }

  /** Window starts of the channel's documents marked partial (watching (re)started in them). */
  List<Long> partialWindows(String channel) {
    List<Long> partial = new ArrayList<>();
    for (ChannelActivity a : ActivityReader.windows(db, channel, 0, Long.MAX_VALUE)) {
      if (a.watchStarted()) {
        partial.add(a.windowStart());
      }
    }
    return partial;
  }

  /** When (wall clock, epoch ms) the document of the channel's window was first seen, or null. */
  Long firstSeen(String channel, long windowStart) {
    return firstSeenAt.get(channel + ":" + windowStart);
  }

  /**
   * Every stored window of the channel was delivered by the chat server; its count equals what was
   * delivered, or, in windows where {@code mayBeShort}, is at most that. Windows ahead of the clock
   * (messages from the future, which the job drops) are left out.
   */
  void assertCounts(String channel, Map<Long, Long> delivered, LongPredicate mayBeShort) {
    long now = System.currentTimeMillis();
    Map<Long, Long> sent = new TreeMap<>(delivered);
    sent.keySet().removeIf(w -> w > now);
    Map<Long, Long> stored = counts(channel);
    assertThat(sent.keySet()).as("windows of %s delivered", channel).containsAll(stored.keySet());
    Map<Long, Long> exact = new TreeMap<>(sent);
    exact.keySet().removeIf(mayBeShort::test);
    Map<Long, Long> storedExact = new TreeMap<>(stored);
    storedExact.keySet().removeIf(mayBeShort::test);
    assertThat(storedExact).as("counts of %s", channel).isEqualTo(exact);
    stored.forEach(
        (w, n) ->
            assertThat(n).as("count of %s at %d", channel, w).isLessThanOrEqualTo(sent.get(w)));
  }

  /** Every time a stored count was seen lower than before: "id: before -> after". */
  List<String> decreases() {
    return List.copyOf(decreases);
  }

  /** The highlights of the watched channels, by id. */
  Map<String, Document> highlights() {
    Map<String, Document> found = new TreeMap<>();
    for (Document d : highlights.find(new Document("channel", new Document("$in", channels)))) {
      found.put(d.getString("_id"), d);
    }
    return found;
  }

  private void run() {
    while (!stopped) {
      try {
        long now = System.currentTimeMillis();
        for (String channel : channels) {
          for (ChannelActivity a : ActivityReader.windows(db, channel, 0, Long.MAX_VALUE)) {
            firstSeenAt.putIfAbsent(a.id(), now);
            Long before = lastSeen.put(a.id(), a.count());
            if (before != null && a.count() < before) {
              decreases.add(a.id() + ": " + before + " -> " + a.count());
            }
          }
        }
      } catch (RuntimeException e) {
        // MongoDB down (a test kills it): look again later.
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    stopped = true;
    thread.interrupt();
    thread.join(5_000);
  }
}
