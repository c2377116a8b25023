package dev.streamhighlights.job.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The calls of Flink's REST API the end-to-end tests make, on a cluster at {@code
 * http://127.0.0.1:port}: jobs, a job's state, failures, checkpoints and metrics, cancel. An answer
 * other than 2xx is an {@link IOException} with Flink's errors in its message.
 */
final class FlinkRest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final Set<String> TERMINAL = Set.of("FINISHED", "CANCELED", "FAILED");

  /** A job as /jobs/overview lists it. */
  record Job(String id, String name, String state) {}

  private final String base;
  private final HttpClient http = HttpClient.newHttpClient();

  FlinkRest(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  List<Job> jobs() throws IOException, InterruptedException {
    return stream(get("/jobs/overview").path("jobs"))
        .map(
            j -> new Job(j.path("jid").asText(), j.path("name").asText(), j.path("state").asText()))
        .toList();
  }

  String state(String jobId) throws IOException, InterruptedException {
    return get("/jobs/" + jobId).path("state").asText();
  }

  /** RUNNING only when the job and all its tasks run (a restarting job is not). */
  boolean isRunning(String jobId) {
    try {
      JsonNode job = get("/jobs/" + jobId);
      return "RUNNING".equals(job.path("state").asText())
          && stream(job.path("vertices"))
              .allMatch(v -> "RUNNING".equals(v.path("status").asText()));
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  /**
   * How often the job failed (and was restarted) since it was submitted: the entries of its
   * exception history. Unlike the numRestarts metric, which the REST API fetches only every 10 s,
   * this is current.
   */
  long failures(String jobId) throws IOException, InterruptedException {
    JsonNode history = exceptions(jobId).path("exceptionHistory");
    assertThat(history.path("truncated").asBoolean()).as("exception history truncated").isFalse();
    return history.path("entries").size();
  }

  JsonNode exceptions(String jobId) throws IOException, InterruptedException {
    return get("/jobs/" + jobId + "/exceptions");
  }

  /** The restart strategy the job runs with, as Flink describes it. */
  String restartStrategy(String jobId) throws IOException, InterruptedException {
    return get("/jobs/" + jobId + "/config").at("/execution-config/restart-strategy").asText();
  }

  /** The TaskManager (its id) each subtask of the chat source runs on, by subtask index. */
  List<String> sourceTaskManagers(String jobId) throws IOException, InterruptedException {
    JsonNode vertex = get("/jobs/" + jobId + "/vertices/" + sourceVertex(jobId));
    return stream(vertex.path("subtasks"))
        .sorted(java.util.Comparator.comparingInt(s -> s.path("subtask").asInt()))
        .map(s -> s.path("taskmanager-id").asText())
        .toList();
  }

  /**
   * A metric of the chat source's first subtask, e.g. futureTimestamps; -1 until the REST API has
   * it. The REST API fetches metrics from the TaskManagers at most every 10 s, so a value may be
   * that old.
   */
  long sourceMetric(String jobId, String metric) throws IOException, InterruptedException {
    String vertex = sourceVertex(jobId);
    String name = "0.Source__chat." + metric;
    JsonNode values = get("/jobs/" + jobId + "/vertices/" + vertex + "/metrics?get=" + name);
    return values.isArray() && values.size() > 0 ? values.get(0).path("value").asLong() : -1;
  }

  private String sourceVertex(String jobId) throws IOException, InterruptedException {
    String vertex =
        stream(get("/jobs/" + jobId).path("vertices"))
            .filter(v -> v.path("name").asText().startsWith("Source: chat"))
            .map(v -> v.path("id").asText())
            .findFirst()
            .orElse(null);
    assertThat(vertex).as("the chat source's vertex").isNotNull();
    return vertex;
  }

  /** Trigger time (epoch ms) of the newest completed checkpoint, 0 if there is none. */
  long latestCheckpointTriggered(String jobId) throws IOException, InterruptedException {
    return get("/jobs/" + jobId + "/checkpoints")
        .at("/latest/completed/trigger_timestamp")
        .asLong(0);
  }

  /** Cancels the job and waits until it ended. */
  void cancel(String jobId) throws IOException, InterruptedException {
    send(
        HttpRequest.newBuilder(uri("/jobs/" + jobId + "?mode=cancel"))
            .method("PATCH", HttpRequest.BodyPublishers.noBody()));
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!TERMINAL.contains(state(jobId))) {
      if (System.nanoTime() > deadline) {
        throw new IOException("job " + jobId + " still " + state(jobId) + " after cancel");
      }
      Thread.sleep(200);
    }
  }

  private JsonNode get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  private JsonNode send(HttpRequest.Builder request) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new IOException(
          response.request().method()
              + " "
              + response.uri()
              + ": "
              + response.statusCode()
              + " "
              + response.body());
    }
    return response.body().isEmpty() ? JSON.missingNode() : JSON.readTree(response.body());
  }

  private URI uri(String path) {
    return URI.create(base + path);
  }

  private static Stream<JsonNode> stream(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false);
  }
}
