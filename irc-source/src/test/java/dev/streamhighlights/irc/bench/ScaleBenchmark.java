package dev.streamhighlights.irc.bench;

import dev.streamhighlights.irc.connection.ChatClient;
import dev.streamhighlights.irc.connection.ChatListener;
import dev.streamhighlights.irc.connection.ChatSettings;
import dev.streamhighlights.irc.connection.ChatStats;
import dev.streamhighlights.irc.model.ChatMessage;
import dev.streamhighlights.simulator.ChatServer;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * The source's connections at scale against the fake Twitch chat server on this machine: joins
 * {@code channels} channels (default 10,000) over connections of 90 at a verified bot's JOIN limit
 * (2,000 per 10 s), then has the server send chat to every channel. Prints join time, connections,
 * threads, heap and messages per second. Not a test: run it with {@code bin/benchmark scale}.
 */
public final class ScaleBenchmark {

  public static void main(String[] args) throws Exception {
    int channels = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int joinLimit = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 100;

    try (ChatServer twitch = ChatServer.start()) {
      twitch.setJoinLimit(joinLimit, Duration.ofSeconds(10));
      LongAdder received = new LongAdder();
      ChatListener listener =
          new ChatListener() {
            @Override
            public void onMessage(ChatMessage m) {
              received.increment();
            }

            @Override
            public void onFatalError(Exception e) {
              throw new IllegalStateException(e);
            }
          };
      ChatSettings settings =
          new ChatSettings(
              twitch.ircUri(),
              null,
              null,
              90,
              joinLimit,
              Duration.ofSeconds(10),
              Duration.ofMinutes(5),
              Duration.ofMinutes(1),
              Duration.ofSeconds(5),
              3,
              Duration.ofSeconds(10));
      List<String> names = new ArrayList<>();
      for (int c = 0; c < channels; c++) {
        names.add("scale_" + c);
      }
      long heapBefore = usedHeapAfterGc();
      ChatStats stats = new ChatStats();
      try (ChatClient client = new ChatClient(settings, listener, stats)) {
        long t0 = System.nanoTime();
        names.forEach(client::join);
        if (!twitch.awaitJoined(names, Duration.ofMinutes(15))) {
          throw new IllegalStateException("not all channels joined");
        }
        long joinNanos = System.nanoTime() - t0;
        long heapJoined = usedHeapAfterGc();
        int threads = ManagementFactory.getThreadMXBean().getThreadCount();
        System.out.printf(
            Locale.ROOT,
            "scale: %,d channels joined in %.1f s over %d connections (JOIN limit %d per 10 s);"
                + " join-limit disconnects %d%n",
            channels,
            joinNanos / 1e9,
            client.connectionCount(),
            joinLimit,
            twitch.joinLimitDisconnects());
        System.out.printf(
            Locale.ROOT,
            "scale: heap used by the client %.1f MB (%.0f bytes per channel); JVM threads %d"
                + " (including the fake server's)%n",
            (heapJoined - heapBefore) / 1e6,
            (double) (heapJoined - heapBefore) / channels,
            threads);

        long n0 = received.sum();
        long s0 = System.nanoTime();
        for (int r = 0; r < rounds; r++) {
          long ts = 1_700_000_000_000L + r * 1000L;
          for (String c : names) {
            twitch.sendMessages(c, ts, 1);
          }
        }
        long expected = (long) rounds * channels;
        while (received.sum() - n0 < expected && System.nanoTime() - s0 < 300_000_000_000L) {
          Thread.sleep(5);
        }
        long n = received.sum() - n0;
        double seconds = (System.nanoTime() - s0) / 1e9;
        System.out.printf(
            Locale.ROOT,
            "scale: %,d of %,d messages over %,d channels in %.1f s = %,.0f messages/s"
                + " (the fake server writing them is the bottleneck here); parse errors %d%n",
            n,
            expected,
            channels,
            seconds,
            n / seconds,
            stats.parseErrors.sum());
      }
    }
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }
}
