package dev.streamhighlights.job.mongo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.WriteModel;
import dev.streamhighlights.job.model.ChannelActivity;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.bson.BsonDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the 10 s counts into {@code activityHourly} without holding up its task.
 *
 * <p>When the windows close, every channel that chatted in them has a count at once (about 7,500 of
 * 100,000 channels). The connector's {@code MongoSink} writes them in the task thread, so while a
 * burst is written the task reads nothing, the buffers between it and the window fill, and the
 * window's task waits before it hands the last counts to the detector: at 100,000 channels that
 * delayed clip requests by up to 1.4 s (p99, {@code bin/benchmark live}). This writer takes the
 * counts into memory (up to {@link #DEFAULT_CAPACITY}) and one thread of its own writes them in
 * bulk, as many as have gathered, while the task goes on reading.
 *
 * <p>Nothing is lost: a checkpoint ({@link #flush}) waits until everything taken so far is written,
 * as the connector's at-least-once mode does, so a restore replays no count the checkpoint
 * acknowledged and misses none it did not. Every write is the idempotent {@code $max} upsert of
 * {@link MongoDocuments#activity(ChannelActivity)}, so a replay changes nothing and the order of
 * writes does not matter. While MongoDB is away the writer retries the same counts with pauses of
 * 1, 2, 3 s (at most {@link #MAX_PAUSE}) for {@link MongoSinks#OUTAGE_TOLERANCE}, then fails the
 * job; once its memory is full the task waits (backpressure, as with the connector).
 */
public final class ActivitySink implements Sink<ChannelActivity> {

  private static final long serialVersionUID = 1L;

  /**
   * Counts held in memory per subtask before the task waits: more than the channels chatting in one
   * window at 100,000 channels (about 7,500), at about 100 bytes each.
   */
  public static final int DEFAULT_CAPACITY = 20_000;

  /** At most this many counts in one bulk write. */
  static final int BATCH_SIZE = 1_000;

  static final Duration MAX_PAUSE = Duration.ofSeconds(3);

  private final String uri;
  private final String database;
  private final String collection;
  private final int capacity;
  private final Duration outageTolerance;

  ActivitySink(
      String uri, String database, String collection, int capacity, Duration outageTolerance) {
    this.uri = uri;
    this.database = database;
    this.collection = collection;
    this.capacity = capacity;
    this.outageTolerance = outageTolerance;
  }

  @Override
  @SuppressWarnings("deprecation") // Flink 1.20's Sink still declares this one abstract
  public SinkWriter<ChannelActivity> createWriter(InitContext context) {
    MongoClient client = MongoClients.create(MongoSinks.withServerSelectionTimeout(uri));
    return new Writer(
        client.getDatabase(database).getCollection(collection, BsonDocument.class),
        client,
        capacity,
        outageTolerance,
        context.metricGroup(),
        "activity-writer-" + context.getSubtaskId());
  }

  /** The writer: the task thread queues, one thread of its own writes. */
  static final class Writer implements SinkWriter<ChannelActivity> {

    private static final Logger LOG = LoggerFactory.getLogger(ActivitySink.class);

    private final MongoCollection<BsonDocument> target;
    private final MongoClient client;
    private final Duration outageTolerance;
    private final LinkedBlockingQueue<ChannelActivity> queue = new LinkedBlockingQueue<>();

    /** Room for counts queued or being written; a count's permit returns once it is stored. */
    private final Semaphore room;

    private final int capacity;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicLong written = new AtomicLong();
    private final Counter retries;
    private final Thread thread;
    private volatile boolean closed;

    /** Writes into {@code target}; closes {@code client} (when not null) when it closes. */
    Writer(
        MongoCollection<BsonDocument> target,
        MongoClient client,
        int capacity,
        Duration outageTolerance,
        MetricGroup metrics,
        String threadName) {
      this.target = target;
      this.client = client;
      this.capacity = capacity;
      this.outageTolerance = outageTolerance;
      this.room = new Semaphore(capacity);
      this.retries = metrics.counter("activityWriteRetries");
      metrics.gauge("activityWritesPending", this::pending);
      metrics.gauge("activityWritesStored", written::get);
      this.thread = new Thread(this::run, threadName);
      thread.setDaemon(true);
      thread.start();
    }

    /** Counts taken but not yet stored. */
    int pending() {
      return capacity - room.availablePermits();
    }

    @Override
    public void write(ChannelActivity activity, Context context)
        throws IOException, InterruptedException {
      checkFailure();
      // Waits only when the memory is full: MongoDB is away or slower than the chat.
      while (!room.tryAcquire(100, TimeUnit.MILLISECONDS)) {
        checkFailure();
      }
      queue.add(activity);
    }

    /** Before every checkpoint and at the end of input: returns once all taken so far is stored. */
    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
      while (!room.tryAcquire(capacity, 100, TimeUnit.MILLISECONDS)) {
        checkFailure();
      }
      room.release(capacity);
      checkFailure();
    }

    private void checkFailure() throws IOException {
      Throwable t = failure.get();
      if (t != null) {
        throw new IOException(
            "Could not store activity in MongoDB for " + outageTolerance.toMinutes() + " min", t);
      }
    }

    private void run() {
      List<ChannelActivity> taken = new ArrayList<>(BATCH_SIZE);
      try {
        while (!closed) {
          ChannelActivity first = queue.poll(100, TimeUnit.MILLISECONDS);
          if (first == null) {
            continue;
          }
          taken.add(first);
          queue.drainTo(taken, BATCH_SIZE - 1);
          store(taken);
          written.addAndGet(taken.size());
          room.release(taken.size());
          taken.clear();
        }
      } catch (InterruptedException e) {
        if (!closed) {
          failure.set(e);
        }
        Thread.currentThread().interrupt();
      } catch (Throwable t) {
        // Whatever ends this thread fails the task at its next write or checkpoint, which would
        // otherwise wait for writes that never come.
        failure.set(t);
      }
    }

    /** Writes {@code batch}, retrying while MongoDB is away, for at most the outage tolerance. */
    private void store(List<ChannelActivity> batch) throws InterruptedException {
      List<WriteModel<BsonDocument>> updates = new ArrayList<>(batch.size());
      for (ChannelActivity a : batch) {
        updates.add(MongoDocuments.activity(a));
      }
      long giveUpAt = System.nanoTime() + outageTolerance.toNanos();
      for (int attempt = 1; ; attempt++) {
        try {
          target.bulkWrite(updates, new BulkWriteOptions().ordered(false));
          if (attempt > 1) {
            LOG.info("Activity stored again after {} attempts", attempt);
          }
          return;
        } catch (RuntimeException e) {
          if (closed) {
            throw e;
          }
          long pause = Math.min(attempt * 1_000L, MAX_PAUSE.toMillis());
          if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pause) - giveUpAt > 0) {
            throw e;
          }
          retries.inc();
          // The driver's messages name hosts, never the URI's password.
          LOG.warn(
              "Could not store {} activity counts (attempt {}), retrying in {} ms: {}",
              batch.size(),
              attempt,
              pause,
              e.toString());
          Thread.sleep(pause);
        }
      }
    }

    @Override
    public void close() throws Exception {
      closed = true;
      thread.interrupt();
      thread.join(10_000);
      if (client != null) {
        client.close();
      }
    }
  }
}
