package dev.streamhighlights.job.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

  private final Map<String, String> env = new HashMap<>();
  private final FlinkRest rest;
  private boolean started;

  /**
   * A cluster whose files go under {@code dir} (unless {@code e2e.flink.dir} names a directory),
   * with the fake Twitch credentials and {@code mongoUri} in the environment of every command.
   */
  StandaloneCluster(Path dir, String mongoUri) throws IOException {
    int restPort = freePort();
    rest = new FlinkRest(restPort);
    env.put("FLINK_REST_PORT", String.valueOf(restPort));
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

  /**
   * Starts the job jar in application mode with {@code args} (its main() runs in the JobManager)
   * and waits until the JobManager shows the application's job.
   */
  StandaloneCluster startApplication(List<String> args) throws Exception {
    started = true;
    assertThat(script(concat(List.of("start-application"), args))).contains("Flink application up");
    return this;
  }

  /** A process of the cluster by its pid file's name ({@code jobmanager}, {@code taskmanager}). */
  ProcessHandle process(String name) throws IOException {
    long pid = Long.parseLong(Files.readString(runDir().resolve(name + ".pid")).trim());
    return ProcessHandle.of(pid).orElseThrow(() -> new AssertionError(name + " is gone"));
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

  /** Kills the TaskManager's JVM with SIGKILL (kill -9) and waits until it is gone. */
  void killTaskManager() throws Exception {
    ProcessHandle tm = process("taskmanager");
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

  /** The cluster's REST API. */
  FlinkRest rest() {
    return rest;
  }

  /** What the cluster says about its jobs and the TaskManager's warnings, for a failure message. */
  String diagnostics() {
    StringBuilder sb = new StringBuilder();
    try {
      List<FlinkRest.Job> jobs = rest.jobs();
      sb.append(jobs);
      for (FlinkRest.Job job : jobs) {
        if (!"RUNNING".equals(job.state())) {
          continue;
        }
        for (String metric :
            List.of("chatMessages", "channelsJoined", "reconnects", "watchStarts", "lagMs")) {
          sb.append('\n').append(metric).append(' ').append(rest.sourceMetric(job.id(), metric));
        }
        String ex = rest.exceptions(job.id()).toString();
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

  @SafeVarargs
  static List<String> concat(List<String>... parts) {
    List<String> all = new ArrayList<>();
    for (List<String> p : parts) {
      all.addAll(p);
    }
    return all;
  }

  /**
   * Waits until {@code condition} holds, or fails saying {@code what}, with the cluster's state.
   */
  void await(String what, java.time.Duration wait, java.util.concurrent.Callable<Boolean> condition)
      throws Exception {
    long deadline = System.nanoTime() + wait.toNanos();
    while (!Boolean.TRUE.equals(condition.call())) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            what + ": not within " + wait.toSeconds() + " s\n" + diagnostics());
      }
      Thread.sleep(200);
    }
  }

  static {
    // Files used by the scripts must exist: fail early with a clear message otherwise.
    if (!Files.exists(ROOT.resolve(SCRIPT))) {
      throw new IllegalStateException("run from the flink-job module of the repository");
    }
  }
}
