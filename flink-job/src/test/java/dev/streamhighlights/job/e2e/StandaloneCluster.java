package dev.streamhighlights.job.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The standalone Flink cluster of deploy/standalone/flink.sh (a JobManager and a TaskManager JVM)
 * for end-to-end tests: its commands, its REST API, and the TaskManager process to kill.
 */
final class StandaloneCluster implements AutoCloseable {

  /** The repository; tests run in the flink-job module. */
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  private static final String SCRIPT = "deploy/standalone/flink.sh";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, String> env = new HashMap<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private boolean started;

  /**
   * A cluster whose files go under {@code dir} (unless {@code e2e.flink.dir} names a directory),
   * with the fake Twitch credentials and {@code mongoUri} in the environment of every command.
   */
  StandaloneCluster(Path dir, String mongoUri) throws IOException {
    env.put("FLINK_REST_PORT", String.valueOf(freePort()));
    env.put("FLINK_RUN_DIR", System.getProperty("e2e.flink.dir", dir.resolve("flink").toString()));
    env.put("MONGO_URI", mongoUri);
    env.put("TWITCH_CLIENT_ID", "e2e-client");
    env.put("TWITCH_CLIENT_SECRET", "e2e-secret");
    env.put("TWITCH_USER_TOKEN", "e2e-token");
    env.put("TWITCH_REFRESH_TOKEN", "e2e-refresh");
  }

  /** Starts the JobManager and the TaskManager and waits until the TaskManager registered. */
  StandaloneCluster start() throws Exception {
    started = true;
    assertThat(script("start")).contains("Flink cluster up");
    return this;
  }

  /** Sets a variable for the commands that follow (e.g. JOB_JAR, KAFKA_BOOTSTRAP_SERVERS). */
  void setEnv(String name, String value) {
    env.put(name, value);
  }

  /** Submits the job jar with {@code args}; returns the job id. */
  String submit(List<String> args) throws Exception {
    return jobId(script(concat(List.of("submit"), args)));
  }

  /** Submits the job jar from {@code savepoint} with {@code args}; returns the job id. */
  String resume(String savepoint, List<String> args) throws Exception {
    return jobId(script(concat(List.of("resume", savepoint), args)));
  }

  /** Stops the job with a savepoint; returns the savepoint's path. */
  String stopWithSavepoint(String jobId) throws Exception {
    String out = script("stop-with-savepoint", jobId);
    Matcher m = Pattern.compile("Savepoint completed\\. Path: (\\S+)").matcher(out);
    assertThat(m.find()).as(out).isTrue();
    return m.group(1);
  }

  void cancel(String jobId) throws Exception {
    script("cli", "cancel", jobId);
  }

  /** Kills the TaskManager's JVM with SIGKILL (kill -9) and waits until it is gone. */
  void killTaskManager() throws Exception {
    long pid = Long.parseLong(Files.readString(runDir().resolve("taskmanager.pid")).trim());
    ProcessHandle tm = ProcessHandle.of(pid).orElseThrow();
    assertThat(tm.destroyForcibly()).isTrue(); // SIGKILL on Linux
    tm.onExit().get(10, TimeUnit.SECONDS);
  }

  /** Starts a TaskManager in place of a lost one. */
  void startTaskManager() throws Exception {
    assertThat(script("start-taskmanager")).contains("TaskManager started");
  }

  /** Runs flink.sh with the arguments; fails the test unless it exits 0. Returns its output. */
  String script(String... args) throws Exception {
    return script(List.of(args));
  }

  String script(List<String> args) throws Exception {
    List<String> command = concat(List.of(SCRIPT), args);
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(3, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + out).isZero();
    return out;
  }

  // ---------------------------------------------------------------- REST

  /** GET on the cluster's REST API, parsed. */
  JsonNode get(String path) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(restUrl() + path))
            .timeout(Duration.ofSeconds(10))
            .build();
    return JSON.readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
  }

  /** RUNNING only when the job and all its tasks run (a restarting job is not). */
  boolean isRunning(String jobId) {
    try {
      JsonNode job = get("/jobs/" + jobId);
      if (!"RUNNING".equals(job.path("state").asText())) {
        return false;
      }
      for (JsonNode vertex : job.path("vertices")) {
        if (!"RUNNING".equals(vertex.path("status").asText())) {
          return false;
        }
      }
      return true;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  String state(String jobId) throws Exception {
    return get("/jobs/" + jobId).path("state").asText();
  }

  /**
   * How often the job failed (and was restarted) since it was submitted: the entries of its
   * exception history. Unlike the numRestarts metric, which the REST API fetches only every 10 s,
   * this is current.
   */
  long failures(String jobId) throws Exception {
    JsonNode history = get("/jobs/" + jobId + "/exceptions").path("exceptionHistory");
    assertThat(history.path("truncated").asBoolean()).as("exception history truncated").isFalse();
    return history.path("entries").size();
  }

  /** The restart strategy the job runs with, as Flink describes it. */
  String restartStrategy(String jobId) throws Exception {
    return get("/jobs/" + jobId + "/config")
        .path("execution-config")
        .path("restart-strategy")
        .asText();
  }

  /**
   * A metric of the chat source's first subtask, e.g. futureTimestamps; -1 until the REST API has
   * it. The REST API fetches metrics from the TaskManagers at most every 10 s, so a value may be
   * that old.
   */
  long sourceMetric(String jobId, String metric) throws Exception {
    String vertex = null;
    for (JsonNode v : get("/jobs/" + jobId).path("vertices")) {
      if (v.path("name").asText().startsWith("Source: chat")) {
        vertex = v.path("id").asText();
      }
    }
    assertThat(vertex).as("the chat source's vertex").isNotNull();
    String name = "0.Source__chat." + metric;
    JsonNode values = get("/jobs/" + jobId + "/vertices/" + vertex + "/metrics?get=" + name);
    return values.isArray() && values.size() > 0 ? values.get(0).path("value").asLong() : -1;
  }

  /** Trigger time (epoch ms) of the newest completed checkpoint, 0 if there is none. */
  long latestCheckpointTriggered(String jobId) throws Exception {
    return get("/jobs/" + jobId + "/checkpoints")
        .path("latest")
        .path("completed")
        .path("trigger_timestamp")
        .asLong(0);
  }

  /** What the cluster says about its jobs and the TaskManager's warnings, for a failure message. */
  String diagnostics() {
    StringBuilder sb = new StringBuilder();
    try {
      JsonNode jobs = get("/jobs/overview");
      sb.append(jobs);
      for (JsonNode job : jobs.path("jobs")) {
        String id = job.path("jid").asText();
        if (!"RUNNING".equals(job.path("state").asText())) {
          continue;
        }
        for (String metric :
            List.of("chatMessages", "channelsJoined", "reconnects", "watchStarts", "lagMs")) {
          sb.append('\n').append(metric).append(' ').append(sourceMetric(id, metric));
        }
        String ex = get("/jobs/" + id + "/exceptions").toString();
        sb.append('\n').append(ex, 0, Math.min(ex.length(), 3000));
      }
    } catch (Exception e) {
      sb.append("no REST diagnostics: ").append(e);
    }
    Path log = runDir().resolve("log/taskmanager.log");
    try {
      if (Files.exists(log)) {
        Files.readAllLines(log).stream()
            .filter(l -> l.contains("ERROR") || l.contains("WARN"))
            .limit(30)
            .forEach(l -> sb.append('\n').append(l));
      }
    } catch (IOException e) {
      sb.append("\nno log: ").append(e);
    }
    return sb.toString();
  }

  Path runDir() {
    return Path.of(env.get("FLINK_RUN_DIR"));
  }

  private String restUrl() {
    return "http://127.0.0.1:" + env.get("FLINK_REST_PORT");
  }

  /** Stops the cluster's processes, if it was started. */
  @Override
  public void close() throws Exception {
    if (started) {
      script("stop");
    }
  }

  // ---------------------------------------------------------------- plumbing

  static String jobId(String out) {
    Matcher m = Pattern.compile("JobID ([0-9a-f]{32})").matcher(out);
    assertThat(m.find()).as(out).isTrue();
    return m.group(1);
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  static {
    // Files used by the scripts must exist: fail early with a clear message otherwise.
    if (!Files.exists(ROOT.resolve(SCRIPT))) {
      throw new IllegalStateException("run from the flink-job module of the repository");
    }
  }
}
