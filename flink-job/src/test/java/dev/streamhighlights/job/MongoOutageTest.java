package dev.streamhighlights.job;

import static dev.streamhighlights.job.testing.ChatScript.windowStart;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.streamhighlights.job.model.ChannelActivity;
import dev.streamhighlights.job.mongo.ActivityReader;
import dev.streamhighlights.job.mongo.MongoSinks;
import dev.streamhighlights.job.testing.TestCluster;
import dev.streamhighlights.local.EmbeddedMongo;
import dev.streamhighlights.simulator.ChatServer;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * MongoDB goes away while live chat flows, and comes back: the job waits (backpressure reaching the
 * chat connection once the counts fill every buffer on the way), does not fail or restart although
 * checkpoints time out meanwhile, does not drop its chat connection although it is silent for
 * longer than the watchdog allows, and stores every window's exact count once MongoDB is back.
 */
class MongoOutageTest {

  @RegisterExtension static final MiniClusterExtension FLINK = TestCluster.create();

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final List<String> CHANNELS = LiveChatJob.CHANNELS;

  /** Windows of chat sent while MongoDB is down: their counts fill every buffer on the way. */
  private static final int HEAVY_WINDOWS = 25_000;

  @TempDir Path dir;

  @Test
  void aMongoOutageCostsNoWindowNoConnectionAndNoRestart() throws Exception {
    int port = freePort();
    EmbeddedMongo first = EmbeddedMongo.start(dir, port);
    EmbeddedMongo mongo = first;
    String uri = first.uri();
    try (ChatServer twitch = ChatServer.start()) {
      twitch.setRoomId("alpha", "1001");
      twitch.setRoomId("beta", "1002");
      JobClient job = start(twitch, uri);
      try {
        assertThat(twitch.awaitJoined(CHANNELS, WAIT)).isTrue();
        sendWindows(twitch, 0, 4);
        quietThenClock(twitch, 5); // closes windows 0-3
        await(() -> stored(uri, "alpha").size() == 4);

        mongo.close(); // down
        sendWindows(twitch, 4, 8);
        quietThenClock(twitch, 10); // windows 4-8 close: their writes wait, the job is stuck
        // Chat keeps coming, window after window. The source counts before the keyBy, so what
        // leaves it is one count per channel and window, as the watermark passes each: more of
        // them than the buffers on the way to the stuck sink hold, so the source waits. Then
        // more chat than the source's queue holds, so the connection's thread waits too and
        // stops reading. Sent from another thread, since the server's socket writes block as
        // well once the client stops reading.
        Thread heavy =
            new Thread(
                () -> {
                  for (int w = 10; w < 10 + HEAVY_WINDOWS; w++) {
                    twitch.sendMessages("alpha", windowStart(w) + 1_000, 2);
                    twitch.sendMessages("beta", windowStart(w) + 2_000, 1);
                  }
                  for (int w = 10 + HEAVY_WINDOWS; w < 13 + HEAVY_WINDOWS; w++) {
                    twitch.sendMessages("alpha", windowStart(w) + 1_000, 40_000);
                    twitch.sendMessages("beta", windowStart(w) + 2_000, 3);
                  }
                });
        heavy.start();
        // Checkpoints time out every 2 s meanwhile, and the watchdog (2 s) sees a silent socket;
        // a restart or a reconnect would lose chat.
        Thread.sleep(15_000);
        assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
        assertThat(heavy.isAlive())
            .as("the job stopped reading: backpressure reached Twitch")
            .isTrue();

        mongo = EmbeddedMongo.start(dir, port); // back, with its data
        heavy.join(WAIT.toMillis());
        quietThenClock(twitch, 15 + HEAVY_WINDOWS); // the last windows close
        await(() -> stored(uri, "alpha").size() == 11 + HEAVY_WINDOWS);
        assertEveryWindowStoredOnOneConnection(twitch, uri, job);
      } finally {
        job.cancel().get();
      }
    } finally {
      mongo.close();
    }
  }

  @Test
  void aMongoUnreachableAtTheStartCostsNoWindow() throws Exception {
    int port = freePort();
    String uri = "mongodb://127.0.0.1:" + port;
    EmbeddedMongo mongo = null;
    try (ChatServer twitch = ChatServer.start()) {
      twitch.setRoomId("alpha", "1001");
      twitch.setRoomId("beta", "1002");
      JobClient job = start(twitch, uri); // nothing listens there yet
      try {
        assertThat(twitch.awaitJoined(CHANNELS, WAIT)).isTrue();
        sendWindows(twitch, 0, 6);
        quietThenClock(twitch, 7); // windows 0-5 close: their writes wait for a server
        Thread.sleep(8_000);
        assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);

        mongo = EmbeddedMongo.start(dir, port);
        sendWindows(twitch, 7, 9);
        quietThenClock(twitch, 10);
        await(() -> stored(uri, "alpha").size() == 8);
        assertEveryWindowStoredOnOneConnection(twitch, uri, job);
      } finally {
        job.cancel().get();
      }
    } finally {
      if (mongo != null) {
        mongo.close();
      }
    }
  }

  /** Every window's exact count stored, the job RUNNING on the connection it started with. */
  private static void assertEveryWindowStoredOnOneConnection(
      ChatServer twitch, String uri, JobClient job) throws Exception {
    for (String channel : List.of("alpha", "beta")) {
      assertThat(stored(uri, channel))
          .as("10 s counts of %s", channel)
          .isEqualTo(twitch.sentPerWindow(channel, 10_000));
    }
    assertThat(twitch.totalConnections()).as("never reconnected").isEqualTo(1);
    assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
  }

  private static JobClient start(ChatServer twitch, String mongoUri) throws Exception {
    return LiveChatJob.start(
        "mongo outage test",
        twitch,
        env -> {
          env.getCheckpointConfig().setCheckpointTimeout(2_000);
          Restarts.rideOutOutages(env);
        },
        source -> source.watchdog(Duration.ofSeconds(2), Duration.ofSeconds(2)),
        new HighlightPipeline.Sinks(
            List.of(MongoSinks.activity(mongoUri, "outage")),
            List.of(MongoSinks.highlights(mongoUri, "outage"))));
  }

  private static Map<Long, Long> stored(String uri, String channel) {
    try (MongoClient client = MongoClients.create(uri)) {
      Map<Long, Long> counts = new HashMap<>();
      for (ChannelActivity a :
          ActivityReader.windows(client.getDatabase("outage"), channel, 0, Long.MAX_VALUE)) {
        counts.put(a.windowStart(), a.count());
      }
      return counts;
    } catch (RuntimeException e) {
      return Map.of();
    }
  }

  private static void sendWindows(ChatServer twitch, int from, int to) {
    for (int w = from; w < to; w++) {
      twitch.sendMessages("alpha", windowStart(w) + 1_000, 5 + w);
      twitch.sendMessages("beta", windowStart(w) + 2_000, 3);
    }
  }

  /**
   * Moves event time on with a message of another channel, once alpha and beta have gone idle (had
   * all three gone idle in the same watermark period, Flink would not pass the newest on).
   */
  private static void quietThenClock(ChatServer twitch, int window) throws InterruptedException {
    Thread.sleep(1_500);
    twitch.sendMessages("clock", windowStart(window), 1);
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + WAIT);
      }
      Thread.sleep(200);
    }
  }
}
