package dev.streamhighlights.job.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamhighlights.simulator.ChatServer;
import dev.streamhighlights.simulator.HelixServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job in application mode on real processes (deploy/standalone/flink.sh start-application:
 * Flink's StandaloneApplicationClusterEntryPoint, as docker's standalone-job and the Kubernetes
 * operator run it, here with the operator's settings). A good configuration runs, its source on a
 * TaskManager. A bad one must not end the JobManager: an exit would be started again and again by
 * Kubernetes (CrashLoopBackOff). It is a FAILED job that carries the job's one-line message, and
 * the JobManager stays up to show it.
 */
class ApplicationModeIT {

  private static final String JOB_ID = "0000000000000000000000000000a001";

  @TempDir Path dir;
  private StandaloneCluster cluster;
  private MongoProcess mongo;

  @AfterEach
  void stop() throws Exception {
    try (AutoCloseable m = mongo;
        AutoCloseable c = cluster) {
      // the cluster first, then the database it writes to
    }
  }

  @Test
  void aGoodConfigurationRunsTheJobOnTheTaskManagers() throws Exception {
    mongo = MongoProcess.start(dir.resolve("mongo"));
    try (ChatServer twitch = ChatServer.start();
        HelixServer helix =
            HelixServer.start("e2e-client", "e2e-secret", "e2e-token", "e2e-refresh")) {
      cluster = new StandaloneCluster(dir, mongo.uri());
      cluster.setEnv("JOB_ID", JOB_ID);
      cluster.startApplication(
          List.of(
              "--channels", "alpha",
              "--irc-uri", twitch.ircUri().toString(),
              "--helix-url", helix.helixBaseUrl(),
              "--auth-url", helix.authBaseUrl()));
      // The source runs on a TaskManager, which needs the job's classes as well.
      assertThat(twitch.awaitJoined(List.of("alpha"), Duration.ofSeconds(60)))
          .as(cluster.diagnostics())
          .isTrue();
      assertThat(cluster.rest().jobs())
          .filteredOn(j -> j.id().equals(JOB_ID))
          .extracting(FlinkRest.Job::state)
          .containsExactly("RUNNING");
    }
  }

  @Test
  void aBadConfigurationIsAFailedJobWithItsMessageNotAJobManagerThatExits() throws Exception {
    cluster = new StandaloneCluster(dir, "mongodb://127.0.0.1:1/never-used");
    cluster.setEnv("JOB_ID", JOB_ID);
    cluster.startApplication(List.of("--channels", "alpha", "--window", "0s"));

    cluster.await(
        "the application's job is FAILED",
        Duration.ofSeconds(60),
        () ->
            cluster.rest().jobs().stream()
                .anyMatch(j -> j.id().equals(JOB_ID) && j.state().equals("FAILED")));
    assertThat(cluster.rest().exceptions(JOB_ID).path("root-exception").asText())
        .contains("--window accepts a duration from 1s to 5m");

    // An exit would come right after main() failed; give it time to show.
    Thread.sleep(3_000);
    ProcessHandle jobManager = cluster.process("jobmanager");
    assertThat(jobManager.isAlive())
        .as("the JobManager is still up, nothing for Kubernetes to start again")
        .isTrue();
    assertThat(Files.readString(cluster.runDir().resolve("log/jobmanager.out")))
        .contains("stream-highlights: --window accepts a duration from 1s to 5m");
  }
}
