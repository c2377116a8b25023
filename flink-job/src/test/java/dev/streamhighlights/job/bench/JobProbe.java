package dev.streamhighlights.job.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the benchmark reads about the job's process from outside: CPU time and threads from /proc,
 * heap from the JVM's GC log, and the job's counters and checkpoints from Flink's REST API on
 * 127.0.0.1.
 */
final class JobProbe {

  /** A completed checkpoint: when it was triggered, how long it took, its full size. */
  record Checkpoint(long id, long triggeredAt, long durationMillis, long stateBytes) {}

  /** G1's one-line pause log: "... Pause Young (Normal) (G1 Evacuation Pause) 96M->41M(2048M)". */
  private static final Pattern GC_LINE = Pattern.compile("Pause .* (\\d+)M->(\\d+)M\\((\\d+)M\\)");

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ProcessHandle process;
  private final Path gcLog;
  private final String rest;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private String jobId;
  private String sourceVertex;
  private final Map<String, String> metricIds = new TreeMap<>();

  JobProbe(ProcessHandle process, Path gcLog, int restPort) {
    this.process = process;
    this.gcLog = gcLog;
    this.rest = "http://127.0.0.1:" + restPort;
  }

  /** CPU time (user + system) the process has used so far. */
  Duration cpu() {
    return process.info().totalCpuDuration().orElse(Duration.ZERO);
  }

  /** Threads of the process now. */
  int threads() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", process.pid() + "", "status"))) {
        if (line.startsWith("Threads:")) {
          return Integer.parseInt(line.substring("Threads:".length()).trim());
        }
      }
    } catch (IOException | RuntimeException e) {
      // The process went away.
    }
    return -1;
  }

  /** GC log lines so far, so a later {@link #heapSince} reads only what followed. */
  int gcLines() {
    try {
      return Files.readAllLines(gcLog).size();
    } catch (IOException e) {
      return 0;
    }
  }

  /**
   * {max heap used after a GC, max used before one, committed, used after the last GC} in MB over
   * the GC log's tail.
   */
  long[] heapSince(int fromLine) {
    long[] mb = new long[4];
    try {
      List<String> lines = Files.readAllLines(gcLog);
      for (String line : lines.subList(Math.min(fromLine, lines.size()), lines.size())) {
        Matcher m = GC_LINE.matcher(line);
        if (m.find()) {
          mb[0] = Math.max(mb[0], Long.parseLong(m.group(2)));
          mb[1] = Math.max(mb[1], Long.parseLong(m.group(1)));
          mb[2] = Math.max(mb[2], Long.parseLong(m.group(3)));
          mb[3] = Long.parseLong(m.group(2));
        }
      }
    } catch (IOException e) {
      // No GC log: zeros.
    }
    return mb;
  }

  /** True once the job runs and its source's metrics are listed. */
  boolean ready() {
    try {
      if (jobId == null) {
        for (JsonNode j : get("/jobs").path("jobs")) {
          if (j.path("status").asText().equals("RUNNING")) {
            jobId = j.path("id").asText();
          }
        }
      }
      if (jobId != null && sourceVertex == null) {
        for (JsonNode v : get("/jobs/" + jobId).path("vertices")) {
          if (v.path("name").asText().startsWith("Source: chat")) {
            sourceVertex = v.path("id").asText();
          }
        }
      }
      if (sourceVertex != null && metricIds.isEmpty()) {
        for (JsonNode m : get(vertexPath() + "/metrics")) {
          String id = m.path("id").asText();
          metricIds.put(id.substring(id.lastIndexOf('.') + 1), id);
        }
      }
      return metricIds.containsKey("chatMessages");
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The source's metric ({@code chatMessages}, {@code channelsJoined}, ...), or -1. Flink's REST
   * API answers from a cache that a request refreshes in the background, so the first answer may be
   * old: ask, wait a moment, ask again.
   */
  long freshSourceMetric(String name) throws InterruptedException {
    sourceMetric(name);
    Thread.sleep(1_000);
    return sourceMetric(name);
  }

  private long sourceMetric(String name) {
    String id = metricIds.get(name);
    if (id == null) {
      return -1;
    }
    try {
      JsonNode values = get(vertexPath() + "/metrics?get=" + id);
      return values.isEmpty()
          ? -1
          : (long) Double.parseDouble(values.get(0).path("value").asText());
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * The sum over subtasks of {@code metric} of the vertex whose name starts with {@code prefix}, or
   * -1 (one request: Flink's REST cache may answer with a value a few seconds old).
   */
  long vertexMetric(String prefix, String metric) {
    try {
      for (JsonNode v : get("/jobs/" + jobId).path("vertices")) {
        if (!v.path("name").asText().startsWith(prefix)) {
          continue;
        }
        String path = "/jobs/" + jobId + "/vertices/" + v.path("id").asText() + "/metrics";
        List<String> ids = new ArrayList<>();
        for (JsonNode m : get(path)) {
          if (m.path("id").asText().endsWith("." + metric)) {
            ids.add(m.path("id").asText());
          }
        }
        long sum = 0;
        if (!ids.isEmpty()) {
          for (JsonNode value : get(path + "?get=" + String.join(",", ids))) {
            sum += (long) Double.parseDouble(value.path("value").asText());
          }
        }
        return ids.isEmpty() ? -1 : sum;
      }
      return -1;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** The completed checkpoints Flink still lists (its history keeps the last ten). */
  List<Checkpoint> checkpoints() {
    List<Checkpoint> done = new ArrayList<>();
    try {
      for (JsonNode c : get("/jobs/" + jobId + "/checkpoints").path("history")) {
        if (c.path("status").asText().equals("COMPLETED")) {
          done.add(
              new Checkpoint(
                  c.path("id").asLong(),
                  c.path("trigger_timestamp").asLong(),
                  c.path("end_to_end_duration").asLong(),
                  c.path("state_size").asLong()));
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not answered this time; the next poll catches up (history keeps ten).
    }
    return done;
  }

  /**
   * A live-object histogram (which forces a full GC, so the GC log then shows the live heap) into
   * {@code histogram}, and the process's threads grouped by name with digits as '#', most first.
   */
  Map<String, Integer> inspect(Path histogram) throws IOException, InterruptedException {
    jcmd(List.of("GC.class_histogram"), histogram);
    Path dump = histogram.resolveSibling("threads.txt");
    jcmd(List.of("Thread.print"), dump);
    Map<String, Integer> groups = new TreeMap<>();
    for (String line : Files.readAllLines(dump)) {
      if (line.startsWith("\"")) {
        String name = line.substring(1, line.indexOf('"', 1)).replaceAll("[0-9]+", "#");
        groups.merge(name, 1, Integer::sum);
      }
    }
    Map<String, Integer> sorted = new java.util.LinkedHashMap<>();
    groups.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .forEach(e -> sorted.put(e.getKey(), e.getValue()));
    return sorted;
  }

  private void jcmd(List<String> args, Path out) throws IOException, InterruptedException {
    Path java = Path.of(ProcessHandle.current().info().command().orElse("java"));
    List<String> command = new ArrayList<>();
    command.add(java.resolveSibling("jcmd").toString());
    command.add(Long.toString(process.pid()));
    command.addAll(args);
    new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(out.toFile())
        .start()
        .waitFor();
  }

  private String vertexPath() {
    return "/jobs/" + jobId + "/vertices/" + sourceVertex;
  }

  private JsonNode get(String path) throws IOException {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(rest + path))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IOException(path + ": HTTP " + r.statusCode());
      }
      return JSON.readTree(r.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }
}
