package dev.streamhighlights.job.e2e;

import static dev.streamhighlights.job.testing.ChatScript.windowStart;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.streamhighlights.job.testing.KafkaBroker;
import dev.streamhighlights.simulator.ChatServer;
import dev.streamhighlights.simulator.HelixServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on real processes: a standalone Flink 1.20.5 cluster (two JVMs, deploy/standalone),
 * the MongoDB-compatible server in its own JVM, and the simulated Twitch. Submits the job jar, lets
 * highlights land, stops the job with a savepoint, submits it again from the savepoint with a
 * changed configuration, and checks that the counts continue and no highlight is lost or doubled.
 */
class StandaloneClusterIT {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final List<String> CHANNELS = List.of("alpha", "beta", "clock");

  @TempDir Path dir;
  private final List<Process> processes = new ArrayList<>();
  private Map<String, String> env;

  @AfterEach
  void stopEverything() throws Exception {
    if (env != null) {
      run("deploy/standalone/flink.sh", "stop");
    }
    for (Process p : processes) {
      p.destroy();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void upgradesThroughASavepointWithoutLosingOrDoublingAHighlight() throws Exception {
    String mongoUri = startMongo();

    try (ChatServer twitch = ChatServer.start();
        HelixServer helix =
            HelixServer.start("e2e-client", "e2e-secret", "e2e-token", "e2e-refresh");
        MongoClient client = MongoClients.create(mongoUri)) {
      env = clusterEnv(mongoUri);
      assertThat(run("deploy/standalone/flink.sh", "start")).contains("Flink cluster up");

      List<String> jobArgs =
          List.of(
              "--channels", String.join(",", CHANNELS),
              "--irc-uri", twitch.ircUri().toString(),
              "--helix-url", helix.helixBaseUrl(),
              "--auth-url", helix.authBaseUrl(),
              "--idleness", "1s",
              "--checkpoint-interval", "1s",
              "--clip-confirm-within", "5s");
      String first = jobId(run(concat(List.of("deploy/standalone/flink.sh", "submit"), jobArgs)));
      assertThat(twitch.awaitJoined(CHANNELS, WAIT)).isTrue();

      // Version 1: twelve windows with a surge in alpha's window 11.
      send(twitch, 0, 12, 11);
      Thread.sleep(3_000); // alpha and beta go idle (--idleness 1s)
      twitch.sendMessages("clock", windowStart(14), 1); // event time moves on: windows close
      await(() -> activity(client, "alpha").size() == 12);
      await(() -> highlights(client).size() == 1);
      Thread.sleep(2_000); // a checkpoint after the last window

      String savepoint =
          savepointPath(run("deploy/standalone/flink.sh", "stop-with-savepoint", first));
      await(() -> twitch.joinedChannels().isEmpty());

      // Version 2, a changed build (the detector's state class gained a field) with a changed
      // configuration, continues from the savepoint.
      env.put("JOB_JAR", changedBuild().toString());
      List<String> v2 = concat(List.of("deploy/standalone/flink.sh", "resume", savepoint), jobArgs);
      jobId(run(concat(v2, List.of("--threshold", "1.6"))));
      assertThat(twitch.awaitJoined(CHANNELS, WAIT)).isTrue();
      send(twitch, 15, 25, 22);
      Thread.sleep(3_000);
      twitch.sendMessages("clock", windowStart(28), 1);
      await(() -> highlights(client).size() == 2);
      await(() -> activity(client, "alpha").size() == 22);

      assertThat(activity(client, "alpha")).isEqualTo(twitch.sentPerWindow("alpha", 10_000));
      assertThat(activity(client, "beta")).isEqualTo(twitch.sentPerWindow("beta", 10_000));
      List<Document> found = highlights(client);
      assertThat(found)
          .extracting(d -> d.getString("_id"))
          .containsExactly("alpha:" + windowStart(11), "alpha:" + windowStart(22));
      // The surge after the upgrade was judged against history restored from the savepoint: only
      // 7 windows passed since the restart (a fresh detector needs 10), and the average covers
      // windows 12-21: three empty ones during the upgrade, then 5 messages each.
      assertThat(found.get(1).getDouble("movingAverage")).isEqualTo(3.5);
      assertThat(found)
          .allSatisfy(
              d ->
                  assertThat(d.get("clip", Document.class).getString("status"))
                      .isEqualTo("created"));
      assertThat(helix.creates()).hasSize(2);
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
    String mongoUri = startMongo();
    try (ChatServer twitch = ChatServer.start();
        HelixServer helix =
            HelixServer.start("e2e-client", "e2e-secret", "e2e-token", "e2e-refresh");
        MongoClient client = MongoClients.create(mongoUri)) {
      env = clusterEnv(mongoUri);
      env.put("KAFKA_BOOTSTRAP_SERVERS", kafka);
      assertThat(run("deploy/standalone/flink.sh", "start")).contains("Flink cluster up");

      jobId(
          run(
              "deploy/standalone/flink.sh",
              "submit",
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
      jobId(
          run(
              "deploy/standalone/flink.sh",
              "submit",
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
              "1s",
              "--checkpoint-interval",
              "1s",
              "--clip-confirm-within",
              "5s"));

      send(twitch, 0, 12, 11);
      Thread.sleep(3_000); // every partition goes idle (--idleness 1s)
      twitch.sendMessages("clock", windowStart(14), 1); // event time moves on: windows close
      await(() -> activity(client, "alpha").size() == 12);
      await(() -> highlights(client).size() == 1);
      await(() -> KafkaBroker.readAll(highlightsTopic, "read_committed").size() == 1);

      assertThat(activity(client, "alpha")).isEqualTo(twitch.sentPerWindow("alpha", 10_000));
      assertThat(activity(client, "beta")).isEqualTo(twitch.sentPerWindow("beta", 10_000));
      assertThat(highlights(client))
          .singleElement()
          .satisfies(
              d -> {
                assertThat(d.getString("_id")).isEqualTo("alpha:" + windowStart(11));
                assertThat(d.get("clip", Document.class).getString("status")).isEqualTo("created");
              });
      Document record =
          Document.parse(
              new String(
                  KafkaBroker.readAll(highlightsTopic, "read_committed").get(0).value(),
                  StandardCharsets.UTF_8));
      assertThat(record.getString("id")).isEqualTo("alpha:" + windowStart(11));
      assertThat(record.get("clip", Document.class).getString("status")).isEqualTo("created");
      assertThat(helix.creates()).hasSize(1);
    }
  }

  private String startMongo() throws IOException {
    int mongoPort = freePort();
    Process mongo =
        start(
            List.of(
                ROOT.resolve("bin/stream-highlights").toString(),
                "mongo",
                "--mongo-port",
                String.valueOf(mongoPort),
                "--data-dir",
                dir.resolve("mongo-data").toString()));
    awaitLine(mongo, "MongoDB-compatible server at");
    return "mongodb://127.0.0.1:" + mongoPort;
  }

  private Map<String, String> clusterEnv(String mongoUri) throws IOException {
    Map<String, String> e = new HashMap<>();
    e.put("FLINK_REST_PORT", String.valueOf(freePort()));
    e.put("FLINK_RUN_DIR", System.getProperty("e2e.flink.dir", dir.resolve("flink").toString()));
    e.put("MONGO_URI", mongoUri);
    e.put("TWITCH_CLIENT_ID", "e2e-client");
    e.put("TWITCH_CLIENT_SECRET", "e2e-secret");
    e.put("TWITCH_USER_TOKEN", "e2e-token");
    e.put("TWITCH_REFRESH_TOKEN", "e2e-refresh");
    return e;
  }

  /**
   * The job jar with {@code DetectorState} recompiled with an added field: a new version whose
   * keyed state schema differs from the savepoint's.
   */
  private Path changedBuild() throws Exception {
    Path source = Path.of("src/main/java/dev/streamhighlights/job/detect/DetectorState.java");
    Path src = dir.resolve("v2/src/dev/streamhighlights/job/detect/DetectorState.java");
    Files.createDirectories(src.getParent());
    Files.writeString(
        src,
        Files.readString(source)
            .replace(
                "public long cleanupTimer;",
                "public long cleanupTimer;\n  public long surgesSeen;"));
    Path classes = dir.resolve("v2/classes");
    Files.createDirectories(classes);
    assertThat(
            javax.tools.ToolProvider.getSystemJavaCompiler()
                .run(null, null, null, "--release", "17", "-d", classes.toString(), src.toString()))
        .isZero();
    Path jar = dir.resolve("v2/stream-highlights-job-v2.jar");
    Files.copy(Path.of("target/stream-highlights-job.jar"), jar);
    String entry = "dev/streamhighlights/job/detect/DetectorState.class";
    try (java.nio.file.FileSystem zip = java.nio.file.FileSystems.newFileSystem(jar)) {
      Files.copy(
          classes.resolve(entry),
          zip.getPath(entry),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    return jar;
  }

  /** Windows [from, to): alpha 5 messages each (60 in {@code surge}), beta 3. */
  private static void send(ChatServer twitch, int from, int to, int surge) {
    for (int w = from; w < to; w++) {
      twitch.sendMessages("alpha", windowStart(w) + 1_000, w == surge ? 60 : 5);
      twitch.sendMessages("beta", windowStart(w) + 2_000, 3);
    }
  }

  private static List<Document> highlights(MongoClient client) {
    return client
        .getDatabase("stream_highlights")
        .getCollection("highlights")
        .find()
        .sort(new Document("_id", 1))
        .into(new ArrayList<>());
  }

  private static Map<Long, Long> activity(MongoClient client, String channel) {
    Map<Long, Long> counts = new HashMap<>();
    for (Document d :
        client
            .getDatabase("stream_highlights")
            .getCollection("activity")
            .find(new Document("channel", channel))) {
      counts.put(d.getDate("windowStart").getTime(), d.getLong("count"));
    }
    return counts;
  }

  private String run(String... command) throws Exception {
    return run(List.of(command));
  }

  private String run(List<String> command) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(3, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + out).isZero();
    return out;
  }

  private Process start(List<String> command) throws IOException {
    Process p =
        new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true).start();
    processes.add(p);
    return p;
  }

  private static void awaitLine(Process p, String prefix) throws IOException {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      if (line.startsWith(prefix)) {
        return;
      }
    }
    throw new AssertionError("process ended before printing " + prefix);
  }

  private static String jobId(String out) {
    Matcher m = Pattern.compile("JobID ([0-9a-f]{32})").matcher(out);
    assertThat(m.find()).as(out).isTrue();
    return m.group(1);
  }

  private static String savepointPath(String out) {
    Matcher m = Pattern.compile("Savepoint completed\\. Path: (\\S+)").matcher(out);
    assertThat(m.find()).as(out).isTrue();
    return m.group(1);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /** What the cluster says about its jobs, for a failure message. */
  private String diagnostics() {
    try {
      java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + env.get("FLINK_REST_PORT");
      String jobs =
          http.send(
                  java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/jobs/overview"))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString())
              .body();
      Matcher m = Pattern.compile("\"jid\":\"([0-9a-f]{32})\"").matcher(jobs);
      StringBuilder sb = new StringBuilder(jobs);
      while (m.find()) {
        String vertices =
            http.send(
                    java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(base + "/jobs/" + m.group(1)))
                        .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString())
                .body();
        Matcher v =
            Pattern.compile("\"id\":\"([0-9a-f]{32})\",\"slotSharingGroupId").matcher(vertices);
        if (v.find()) {
          sb.append('\n')
              .append(
                  http.send(
                          java.net.http.HttpRequest.newBuilder(
                                  java.net.URI.create(
                                      base
                                          + "/jobs/"
                                          + m.group(1)
                                          + "/vertices/"
                                          + v.group(1)
                                          + "/metrics?get=0.Source__chat.chatMessages,0.Source__chat.channelsJoined,0.currentOutputWatermark,0.Source__chat.lagMs"))
                              .build(),
                          java.net.http.HttpResponse.BodyHandlers.ofString())
                      .body());
        }
        String ex =
            http.send(
                    java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(base + "/jobs/" + m.group(1) + "/exceptions"))
                        .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString())
                .body();
        sb.append('\n').append(ex, 0, Math.min(ex.length(), 3000));
      }
      Path log = Path.of(env.get("FLINK_RUN_DIR"), "log", "taskmanager.log");
      if (Files.exists(log)) {
        List<String> lines = Files.readAllLines(log);
        lines.stream()
            .filter(l -> l.contains("ERROR") || l.contains("WARN"))
            .limit(30)
            .forEach(l -> sb.append('\n').append(l));
      }
      return sb.toString();
    } catch (Exception e) {
      return "no diagnostics: " + e;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private void await(BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + WAIT + "\n" + diagnostics());
      }
      Thread.sleep(200);
    }
  }

  static {
    // Files used by the scripts must exist: fail early with a clear message otherwise.
    if (!Files.exists(ROOT.resolve("deploy/standalone/flink.sh"))) {
      throw new IllegalStateException("run from the flink-job module of the repository");
    }
  }
}
