package dev.streamhighlights.job.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
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
 * milliseconds it reads the activity documents and remembers when each first appeared and whether a
 * count it saw ever went down (a restored window overwriting a fuller count).
 */
final class StoredActivity implements AutoCloseable {

  private static final long POLL_MILLIS = 250;

  private final MongoCollection<Document> activity;
  private final MongoCollection<Document> highlights;
  private final List<String> channels;
  private final Map<String, Long> lastSeen = new ConcurrentHashMap<>();
  private final Map<String, Long> firstSeenAt = new ConcurrentHashMap<>();
  private final List<String> decreases = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile boolean stopped;

  StoredActivity(MongoClient client, Collection<String> channels) {
    this.activity = client.getDatabase("stream_highlights").getCollection("activity");
    this.highlights = client.getDatabase("stream_highlights").getCollection("highlights");
    this.channels = List.copyOf(channels);
    this.thread = new Thread(this::run, "stored-activity");
    thread.setDaemon(true);
    thread.start();
  }

  /** Stored counts of the channel by window start (epoch ms); empty while MongoDB is down. */
  Map<Long, Long> counts(String channel) {
    Map<Long, Long> counts = new TreeMap<>();
    for (Document d : activity.find(new Document("channel", channel))) {
      counts.put(d.getDate("windowStart").getTime(), d.getLong("count"));
    }
    return counts;
  }

  /** Window starts of the channel's documents marked partial (watching (re)started in them). */
  List<Long> partialWindows(String channel) {
    List<Long> partial = new ArrayList<>();
    for (Document d : activity.find(new Document("channel", channel).append("partial", true))) {
      partial.add(d.getDate("windowStart").getTime());
    }
    partial.sort(null);
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
        for (Document d : activity.find(new Document("channel", new Document("$in", channels)))) {
          String id = d.getString("channel") + ":" + d.getDate("windowStart").getTime();
          long count = d.getLong("count");
          firstSeenAt.putIfAbsent(id, now);
          Long before = lastSeen.put(id, count);
          if (before != null && count < before) {
            decreases.add(id + ": " + before + " -> " + count);
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
