package dev.streamhighlights.job;

import static dev.streamhighlights.job.testing.ChatScript.windowStart;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamhighlights.job.model.ChannelActivity;
import dev.streamhighlights.job.mongo.ActivityReader;
import dev.streamhighlights.job.mongo.MongoSinks;
import dev.streamhighlights.job.testing.FailOnce;
import dev.streamhighlights.job.testing.TestCluster;
import dev.streamhighlights.job.testing.TestMongo;
import dev.streamhighlights.simulator.ChatServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The live pipeline: the real IRC source against the fake Twitch chat server over real sockets,
 * through a dropped connection, a RECONNECT and a job failure restored from a checkpoint. Every 10
 * s count in MongoDB must equal what the server wrote to the job's sockets.
 */
class LiveChatPipelineTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final List<String> CHANNELS = LiveChatJob.CHANNELS;

  @RegisterExtension static final MiniClusterExtension FLINK = TestCluster.create();

  private static final String KEY = "live-chat";

  @Test
  void countsEveryMessageTheServerSentThroughDropsReconnectsAndARestore() throws Exception {
    try (ChatServer twitch = ChatServer.start();
        TestMongo mongo = new TestMongo()) {
      twitch.setRoomId("alpha", "1001");
      twitch.setRoomId("beta", "1002");
      JobClient job = start(twitch, mongo);
      try {
        assertThat(twitch.awaitJoined(CHANNELS, WAIT)).isTrue();

        sendWindows(twitch, 0, 5);
        twitch.sendRaw("beta", "@tmi-sent-ts=garbage :x!x@x PRIVMSG #beta :not counted");
        settle();
        twitch.dropAll();
        awaitRejoined(twitch, 2);

        sendWindows(twitch, 5, 8);
        settle();
        twitch.reconnectAll();
        awaitRejoined(twitch, 3);

        sendWindows(twitch, 8, 10);
        Thread.sleep(1500); // checkpoints (every 200 ms) now hold all of it

        // Moves event time on: windows up to 9 close, the failing sink fails the job once, and
        // Flink restores it from the last checkpoint.
        twitch.sendMessages("clock", windowStart(12), 1);
        // Flink 1.20 does not pass on the newest watermark when every split went idle in the same
        // period; the clock ticks again until the job moves (the clock's counts are not checked).
        long[] nextTick = {System.nanoTime() + 2_000_000_000L};
        await(
            () -> {
              if (System.nanoTime() > nextTick[0]) {
                twitch.sendMessages("clock", windowStart(12), 1);
                nextTick[0] = System.nanoTime() + 2_000_000_000L;
              }
              return FailOnce.fired(KEY);
            },
            () ->
                "activity so far: "
                    + ActivityReader.all(mongo.database()).stream()
                        .map(a -> a.id() + "=" + a.count())
                        .toList());
        // The restored job's own connection, the failed one gone: chat written while the old one
        // is still joined would be counted as sent and never read, and the channels rejoined later.
        awaitRejoined(twitch, 4);

        // A surge in alpha's window 24. After the restore the job rebuilds each channel's history
        // from window 13 on (window 12, where it started reading again, is incomplete): it must
        // not fire before it has ten windows, and must fire then.
        sendWindows(twitch, 12, 27, "alpha", 24, 60, "alpha", 13, 60);
        settle();
        twitch.sendMessages("clock", windowStart(50), 1);
        await(
            () ->
                ActivityReader.windows(mongo.database(), "alpha", windowStart(26), windowStart(27))
                        .size()
                    == 1);
        Thread.sleep(1000);

        for (String channel : List.of("alpha", "beta")) {
          Map<Long, Long> stored = new HashMap<>();
          for (ChannelActivity a :
              ActivityReader.windows(mongo.database(), channel, 0, Long.MAX_VALUE)) {
            stored.put(a.windowStart(), a.count());
          }
          assertThat(stored)
              .as("10 s counts of %s", channel)
              .isEqualTo(twitch.sentPerWindow(channel, 10_000))
              .hasSize(25);
        }
        // The highlight takes a longer way than the counts (detector, CEP, gate, budget, clip).
        await(
            () -> !mongo.all(MongoSinks.HIGHLIGHTS).isEmpty(),
            () -> "no highlight stored; activity: " + ActivityReader.all(mongo.database()).size());
        Thread.sleep(1000);
        assertThat(mongo.all(MongoSinks.HIGHLIGHTS))
            .extracting(d -> d.getString("_id"), d -> d.getString("channelId"))
            .containsExactly(
                org.assertj.core.groups.Tuple.tuple("alpha:" + windowStart(24), "1001"));
      } finally {
        job.cancel().get();
      }
    }
  }

  private static JobClient start(ChatServer twitch, TestMongo mongo) throws Exception {
    return LiveChatJob.start(
        "live chat test",
        twitch,
        FailOnce::allowRestarts,
        source -> source.maxBackoff(Duration.ofMillis(200)),
        new HighlightPipeline.Sinks(
            List.of(
                MongoSinks.activity(mongo.uri(), TestMongo.DATABASE),
                FailOnce.<ChannelActivity>at(KEY, ChannelActivity::id, "alpha:" + windowStart(9))),
            List.of(MongoSinks.highlights(mongo.uri(), TestMongo.DATABASE))));
  }

  /** Windows [from, to) for alpha (5 messages each) and beta (3), with optional overrides. */
  private static void sendWindows(ChatServer twitch, int from, int to, Object... overrides) {
    for (int w = from; w < to; w++) {
      int alpha = 5;
      for (int i = 0; i < overrides.length; i += 3) {
        if (overrides[i].equals("alpha") && (int) overrides[i + 1] == w) {
          alpha = (int) overrides[i + 2];
        }
      }
      twitch.sendMessages("alpha", windowStart(w) + 1_000, alpha);
      twitch.sendMessages("beta", windowStart(w) + 2_000, 3);
    }
  }

  /** Lets the job read what was written before the test breaks its sockets. */
  private static void settle() throws InterruptedException {
    Thread.sleep(500);
  }

  /**
   * Waits until the new connection has joined every channel and the old one is gone: a RECONNECT
   * closes the old socket about 100 ms later, and lines written to it meanwhile would be counted as
   * sent but never read.
   */
  private static void awaitRejoined(ChatServer twitch, int connections) throws Exception {
    await(
        () ->
            twitch.totalConnections() >= connections
                && twitch.connectedClients() == 1
                && twitch.joinedChannels().containsAll(CHANNELS));
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    await(condition, () -> "");
  }

  private static void await(BooleanSupplier condition, java.util.function.Supplier<String> state)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + WAIT + " " + state.get());
      }
      Thread.sleep(20);
    }
  }
}
