package dev.streamhighlights.job.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.streamhighlights.job.testing.KafkaBroker;
import dev.streamhighlights.job.testing.NextDetectorState;
import dev.streamhighlights.simulator.ChatServer;
import dev.streamhighlights.simulator.HelixServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on real processes: a standalone Flink 1.20.5 cluster (two JVMs, deploy/standalone),
 * the MongoDB-compatible server in its own JVM, and the simulated Twitch with live chat of steady
 * rate (stamped with the clock, as Twitch's is). Submits the job jar, lets highlights land, stops
 * the job with a savepoint, submits a changed build from the savepoint with a changed
 * configuration, and checks that the counts continue and no highlight is lost or doubled. 2 s
 * windows and a history of 5 keep it short.
 */
class StandaloneClusterIT {

  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final List<String> CHANNELS = List.of("alpha", "beta");
  private static final Duration WINDOW = Duration.ofSeconds(2);
  private static final int HISTORY = 5;

  /** Messages per second and channel: 10 in every window. */
  private static final int RATE = 5;

  private static final List<String> DETECTION =
      List.of(
          "--rule", "variance", // the rule whose history --history-windows shortens
          "--clips-per-hour", "0", // every highlight is clipped, as the checks expect
          "--window", "2s",
          "--history-windows", String.valueOf(HISTORY),
          "--out-of-orderness", "1s",
          "--cooldown", "10s",
          "--checkpoint-interval", "1s",
          "--clip-confirm-within", "5s");

  @TempDir Path dir;
  private MongoProcess mongo;
  private StandaloneCluster cluster;

  @AfterEach
  void stopEverything() throws Exception {
    try (AutoCloseable m = mongo;
        AutoCloseable c = cluster) {
      // the cluster first, then the database it writes to
    }
  }

  @Test
  void upgradesThroughASavepointWithoutLosingOrDoublingAHighlight() throws Exception {
    mongo = MongoProcess.start(dir.resolve("mongo"));
    try (ChatServer twitch = ChatServer.start();
        HelixServer helix =
            HelixServer.start("e2e-client", "e2e-secret", "e2e-token", "e2e-refresh");
        MongoClient client = MongoClients.create(mongo.uri());
        SteadyChat chat = new SteadyChat(twitch, CHANNELS, RATE, WINDOW);
        StoredActivity stored = new StoredActivity(client, CHANNELS)) {
      cluster = new StandaloneCluster(dir, mongo.uri()).start();
      List<String> jobArgs =
          StandaloneCluster.concat(
              List.of(
                  "--channels", String.join(",", CHANNELS),
                  "--irc-uri", twitch.ircUri().toString(),
                  "--helix-url", helix.helixBaseUrl(),
                  "--auth-url", helix.authBaseUrl()),
              DETECTION);
      String first = cluster.submit(jobArgs);
      assertThat(twitch.awaitJoined(CHANNELS, WAIT)).isTrue();

      // Version 1: a full history of steady chat, then a surge in alpha.
      chat.start();
      Thread.sleep((HISTORY + 2) * WINDOW.toMillis());
      long surge1 = chat.surge("alpha", 60);
      await(() -> stored.highlights().size() == 1);
      Thread.sleep(2_000); // a checkpoint after it

      long stopping = System.currentTimeMillis();
      String savepoint = cluster.stopWithSavepoint(first);
      await(() -> Collections.disjoint(twitch.joinedChannels(), CHANNELS));

      // Version 2, a changed build (the detector's state class gained a field) with a changed
      // configuration, continues from the savepoint.
      cluster.setEnv("JOB_JAR", changedBuild().toString());
      long resuming = System.currentTimeMillis();
      cluster.resume(savepoint, StandaloneCluster.concat(jobArgs, List.of("--threshold", "1.6")));
      assertThat(twitch.awaitJoined(CHANNELS, WAIT)).isTrue();
      // The windows of the upgrade were not watched: alpha fires again once it watched a full
      // history after the restart.
      Thread.sleep((HISTORY + 2) * WINDOW.toMillis());
      long surge2 = chat.surge("alpha", 60);
      await(() -> stored.highlights().size() == 2);
      long last = chat.windowStart(chat.stop());
      await(() -> CHANNELS.stream().allMatch(c -> stored.firstSeen(c, last) != null));

      assertThat(stored.highlights().keySet())
          .containsExactly("alpha:" + surge1, "alpha:" + surge2);
      // Judged against watched windows only (10 messages each), not against zeros for the upgrade.
      assertThat(stored.highlights().get("alpha:" + surge2).getDouble("movingAverage"))
          .isEqualTo(10.0);
      assertThat(stored.highlights().values())
          .allSatisfy(
              d ->
                  assertThat(d.get("clip", Document.class).getString("status"))
                      .isEqualTo("created"));
      assertThat(helix.creates()).hasSize(2);
      // Exact, except the windows of the stop: what reached the socket after the final savepoint.
      for (String c : CHANNELS) {
        stored.assertCounts(
            c,
            twitch.sentPerWindow(c, WINDOW.toMillis()),
            w -> w + WINDOW.toMillis() > stopping && w < resuming);
      }
      assertThat(stored.decreases()).isEmpty();
    }
  }

  /**
   * One ingest, one detection job, Kafka between them, all on the real cluster: the ingest job
   * reads chat over IRC into the chat topic; the detection job reads the topic ({@code --source
   * kafka}), stores counts and highlights in MongoDB, creates the clip and writes the highlight to
   * the highlights topic, where a read_committed consumer sees it once.
   */
  @Test
  void anIngestJobAndADetectionJobShareChatThroughKafka() throws Exception {
    String kafka = KafkaBroker.bootstrapServers();
    String chatTopic = KafkaBroker.createTopic("e2e-chat", 2);
    String highlightsTopic = KafkaBroker.createTopic("e2e-highlights", 1);
    mongo = MongoProcess.start(dir.resolve("mongo"));
    try (ChatServer twitch = ChatServer.start();
        HelixServer helix =
            HelixServer.start("e2e-client", "e2e-secret", "e2e-token", "e2e-refresh");
        MongoClient client = MongoClients.create(mongo.uri());
        SteadyChat chat = new SteadyChat(twitch, CHANNELS, RATE, WINDOW);
        StoredActivity stored = new StoredActivity(client, CHANNELS)) {
      cluster = new StandaloneCluster(dir, mongo.uri());
      cluster.setEnv("KAFKA_BOOTSTRAP_SERVERS", kafka);
      cluster.start();

      cluster.submit(
          List.of(
              "ingest",
              "--channels",
              String.join(",", CHANNELS),
              "--irc-uri",
              twitch.ircUri().toString(),
              "--kafka-chat-topic",
              chatTopic,
              "--checkpoint-interval",
              "1s"));
      assertThat(twitch.awaitJoined(CHANNELS, WAIT)).isTrue();
      cluster.submit(
          StandaloneCluster.concat(
              List.of(
                  "--source",
                  "kafka",
                  "--kafka-start",
                  "earliest",
                  "--kafka-chat-topic",
                  chatTopic,
                  "--kafka-highlights-topic",
                  highlightsTopic,
                  "--kafka-transactional-id-prefix",
                  "e2e-detection",
                  "--helix-url",
                  helix.helixBaseUrl(),
                  "--auth-url",
                  helix.authBaseUrl(),
                  "--idleness",
                  "1s"),
              DETECTION));

      chat.start();
      Thread.sleep((HISTORY + 2) * WINDOW.toMillis());
      long surge = chat.surge("alpha", 60);
      await(() -> stored.highlights().size() == 1);
      await(() -> KafkaBroker.readAll(highlightsTopic, "read_committed").size() == 1);
      // Event time of the topic moves with the chat (no wall clock for a topic that may be
      // replayed): compare the windows that closed while it flowed.
      long closed = chat.windowStart(System.currentTimeMillis()) - WINDOW.toMillis();
      await(() -> CHANNELS.stream().allMatch(c -> stored.firstSeen(c, closed) != null));
      chat.stop();

      for (String c : CHANNELS) {
        stored.assertCounts(c, twitch.sentPerWindow(c, WINDOW.toMillis()), w -> w > closed);
      }
      assertThat(stored.highlights().values())
          .singleElement()
          .satisfies(
              d -> {
                assertThat(d.getString("_id")).isEqualTo("alpha:" + surge);
                assertThat(d.get("clip", Document.class).getString("status")).isEqualTo("created");
              });
      Document record =
          Document.parse(
              new String(
                  KafkaBroker.readAll(highlightsTopic, "read_committed").get(0).value(),
                  StandardCharsets.UTF_8));
      assertThat(record.getString("id")).isEqualTo("alpha:" + surge);
      assertThat(record.get("clip", Document.class).getString("status")).isEqualTo("created");
      assertThat(helix.creates()).hasSize(1);
    }
  }

  /**
   * The job jar with the next version of {@code DetectorState} (see {@link NextDetectorState}): a
   * new version whose keyed state schema differs from the savepoint's.
   */
  private Path changedBuild() throws Exception {
    Path jar = dir.resolve("v2/stream-highlights-job-v2.jar");
    Files.createDirectories(jar.getParent());
    Files.copy(Path.of("target/stream-highlights-job.jar"), jar);
    Path changed = NextDetectorState.writeTo(dir.resolve("v2/classes"));
    try (FileSystem zip = FileSystems.newFileSystem(jar)) {
      Files.copy(
          changed, zip.getPath(NextDetectorState.CLASS_FILE), StandardCopyOption.REPLACE_EXISTING);
    }
    return jar;
  }

  private void await(Callable<Boolean> condition) throws Exception {
    cluster.await("condition", WAIT, condition);
  }
}
