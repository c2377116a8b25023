package dev.streamhighlights.job.bench;

import dev.streamhighlights.simulator.ChatServer;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Chat for many channels at Zipf rates (rank k gets a share proportional to 1/k) totalling a fixed
 * rate, each message stamped with the wall clock as {@code tmi-sent-ts}, as Twitch stamps it. A few
 * channels surge now and then, so the job has highlights to clip: {@link #SURGING} channels from
 * rank {@link #FIRST_SURGING}, {@link #SURGES_PER_WINDOW} of them each 10 s window, each at {@link
 * #SURGE_FACTOR} times its rate for that whole window.
 */
final class ZipfChat implements Runnable {

  static final int FIRST_SURGING = 20;
  static final int SURGING = 30;
  static final int SURGES_PER_WINDOW = 5;
  static final double SURGE_FACTOR = 5.0;
  static final long WINDOW_MILLIS = 10_000;
  private static final long TICK_MILLIS = 50;

  private final ChatServer server;
  private final String[] channels;
  private final double rate;
  private final double[] cumulative;
  private final SplittableRandom random = new SplittableRandom(20181010L);
  private final AtomicLong offered = new AtomicLong();
  private final AtomicLong written = new AtomicLong();
  private volatile boolean stop;

  ZipfChat(ChatServer server, String[] channels, double rate) {
    this.server = server;
    this.channels = channels;
    this.rate = rate;
    cumulative = new double[channels.length];
    double sum = 0;
    for (int k = 0; k < channels.length; k++) {
      sum += 1.0 / (k + 1);
      cumulative[k] = sum;
    }
  }

  /** Messages per second of the channel at this rank, outside its surges. */
  double rateOf(int rank) {
    return rate / (rank + 1) / cumulative[cumulative.length - 1];
  }

  long offered() {
    return offered.get();
  }

  /** PRIVMSG lines written to a client socket (counted per client). */
  long written() {
    return written.get();
  }

  void stop() {
    stop = true;
  }

  @Override
  public void run() {
    double due = 0;
    double[] surgeDue = new double[SURGING];
    long last = System.nanoTime();
    int[] perRank = new int[channels.length];
    Map<String, Integer> batch = new HashMap<>();
    while (!stop) {
      try {
        Thread.sleep(TICK_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
      long nowNanos = System.nanoTime();
      double seconds = (nowNanos - last) / 1e9;
      last = nowNanos;
      long now = System.currentTimeMillis();
      // A tick that came late (a client slow to read blocks the writes) does not pile up more
      // than a second of chat: what was not offered then is not offered at all.
      due = Math.min(due + rate * seconds, rate);
      for (; due >= 1; due--) {
        perRank[pick()]++;
      }
      long window = now / WINDOW_MILLIS;
      for (int i = 0; i < SURGING; i++) {
        if ((window + i) % (SURGING / SURGES_PER_WINDOW) != 0) {
          continue;
        }
        int rank = FIRST_SURGING + i;
        surgeDue[i] += (SURGE_FACTOR - 1) * rateOf(rank) * seconds;
        for (; surgeDue[i] >= 1; surgeDue[i]--) {
          perRank[rank]++;
        }
      }
      long tick = 0;
      for (int k = 0; k < perRank.length; k++) {
        if (perRank[k] > 0) {
          batch.put(channels[k], perRank[k]);
          tick += perRank[k];
          perRank[k] = 0;
        }
      }
      // One write per client connection and tick (fast enough to offer a million messages a
      // second). Both counters move after it: a write that waits for a slow reader (and a tick
      // that then carries up to a second of chat) must not count as offered but not written.
      long w = server.sendMessages(batch, now);
      offered.addAndGet(tick);
      written.addAndGet(w);
      batch.clear();
    }
  }

  /** A rank drawn by the Zipf weights. */
  private int pick() {
    return firstAtLeast(cumulative, random.nextDouble() * cumulative[cumulative.length - 1]);
  }

  /** The first index whose running sum reaches {@code u}: a draw by the weights behind the sums. */
  static int firstAtLeast(double[] cumulative, double u) {
    int lo = 0;
    int hi = cumulative.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cumulative[mid] < u) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
