package dev.streamhighlights.job.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.streamhighlights.job.model.ChannelActivity;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.bson.BsonDocument;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The activity writer against a MongoDB-wire server that goes away and comes back: the task hands
 * over counts without waiting for MongoDB until the writer's memory is full, a checkpoint waits
 * until every count taken is stored, and an outage longer than the tolerance fails the task.
 */
class ActivitySinkTest {

  private static final String DB = "activity_sink_test";

  private final int port = freePort();
  private MongoServer server;
  private MongoClient client;
  private ActivitySink.Writer writer;

  @AfterEach
  void stop() throws Exception {
    if (writer != null) {
      writer.close();
    }
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.shutdownNow();
    }
  }

  @Test
  void theTaskHandsOverABurstWithoutWaitingAndACheckpointWaitsUntilItIsStored() throws Exception {
    writer = writer(100, Duration.ofMinutes(1)); // MongoDB not started yet
    for (int i = 0; i < 100; i++) {
      writer.write(count("c" + i, 7), null); // returns at once although nothing can be written
    }
    assertThat(writer.pending()).isEqualTo(100);

    CompletableFuture<Void> oneMore = CompletableFuture.runAsync(() -> write(count("late", 3)));
    CompletableFuture<Void> checkpoint = CompletableFuture.runAsync(this::flush);
    Thread.sleep(1_500);
    assertThat(oneMore).as("the memory is full: the task waits").isNotDone();
    assertThat(checkpoint).as("a checkpoint waits for the counts taken").isNotDone();

    startServer();
    oneMore.get(30, TimeUnit.SECONDS);
    checkpoint.get(30, TimeUnit.SECONDS);
    writer.flush(false);
    assertThat(writer.pending()).isZero();
    List<ChannelActivity> stored = ActivityReader.all(client.getDatabase(DB));
    assertThat(stored).hasSize(101).allSatisfy(a -> assertThat(a.count()).isIn(7L, 3L));
  }

  @Test
  void countsAreStoredWithoutACheckpoint() throws Exception {
    startServer();
    writer = writer(1_000, Duration.ofMinutes(1));
    for (int i = 0; i < 2_500; i++) {
      writer.write(count("c" + (i % 500), i), null);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (writer.pending() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(writer.pending()).isZero();
    // Five windows' counts per channel in one document: the same window raised with $max.
    assertThat(ActivityReader.all(client.getDatabase(DB))).hasSize(500);
  }

  @Test
  void anOutageLongerThanTheToleranceFailsTheTask() throws Exception {
    writer = writer(10, Duration.ofSeconds(2));
    writer.write(count("a", 1), null);
    assertThatThrownBy(() -> writer.flush(false))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("Could not store activity in MongoDB");
    assertThatThrownBy(() -> writer.write(count("b", 1), null)).isInstanceOf(IOException.class);
  }

  private ActivitySink.Writer writer(int capacity, Duration tolerance) {
    client =
        MongoClients.create(
            "mongodb://127.0.0.1:" + port + "/?serverSelectionTimeoutMS=300&connectTimeoutMS=300");
    return new ActivitySink.Writer(
        client.getDatabase(DB).getCollection(MongoSinks.ACTIVITY_HOURLY, BsonDocument.class),
        null, // closed by the test
        capacity,
        tolerance,
        new UnregisteredMetricsGroup(),
        "activity-writer-test");
  }

  private void startServer() {
    server = new MongoServer(new MemoryBackend());
    server.bind("127.0.0.1", port);
  }

  private static ChannelActivity count(String channel, long n) {
    return new ChannelActivity(channel, "1", 10_000, 20_000, n);
  }

  private void write(ChannelActivity a) {
    try {
      writer.write(a, null);
    } catch (IOException | InterruptedException e) {
      throw new RuntimeException(e);
    }
  }

  private void flush() {
    try {
      writer.flush(false);
    } catch (IOException | InterruptedException e) {
      throw new RuntimeException(e);
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new RuntimeException(e);
    }
  }
}
