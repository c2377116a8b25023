package dev.streamhighlights.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalFlinkTest {

  @TempDir Path dir;

  @Test
  void continuesFromTheNewestCheckpointAndRemovesEarlierRuns() throws Exception {
    Path old = checkpoint("1111", "chk-7", 1_000);
    Path newest = checkpoint("2222", "chk-3", 5_000);
    checkpoint("2222", "chk-2", 4_000);
    Files.createDirectories(dir.resolve("2222/shared"));
    // Another run on the same data directory, checkpointing right now: left alone.
    Path active = Files.createDirectories(dir.resolve("3333/chk-1"));
    Files.writeString(active.resolve("_metadata.inprogress"), "x");
    for (String job : List.of("1111", "2222")) {
      try (var files = Files.walk(dir.resolve(job))) {
        for (Path p : files.toList()) {
          if (!p.getFileName().toString().equals("_metadata")) {
            Files.setLastModifiedTime(p, FileTime.fromMillis(1_000));
          }
        }
      }
    }

    Path latest = LocalFlink.latestCheckpoint(dir);
    assertThat(latest).isEqualTo(newest);

    LocalFlink.pruneOtherJobs(dir, latest);
    assertThat(old.getParent()).doesNotExist();
    assertThat(active).exists();
    assertThat(newest.resolve("_metadata")).exists();
    assertThat(dir.resolve("2222/chk-2")).exists();
    assertThat(dir.resolve("2222/shared")).exists();
  }

  @Test
  void noCheckpointsMeansAFreshStart() {
    assertThat(LocalFlink.latestCheckpoint(dir.resolve("missing"))).isNull();
    assertThat(LocalFlink.latestCheckpoint(dir)).isNull();
  }

  private Path checkpoint(String job, String chk, long modifiedMillis) throws Exception {
    Path c = Files.createDirectories(dir.resolve(job).resolve(chk));
    Path metadata = Files.writeString(c.resolve("_metadata"), "x");
    Files.setLastModifiedTime(metadata, FileTime.fromMillis(modifiedMillis));
    return c;
  }

  @Test
  void localRunsRestartBoundedToo() throws Exception {
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("restarts");
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    org.apache.flink.streaming.api.environment.StreamExecutionEnvironment env =
        LocalFlink.withWebUi(port, dir.resolve("checkpoints"), java.time.Duration.ofSeconds(10));
    assertThat(
            env.getConfiguration()
                .get(org.apache.flink.configuration.RestartStrategyOptions.RESTART_STRATEGY))
        .isEqualTo("failure-rate");
  }
}
