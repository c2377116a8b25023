package dev.streamhighlights.local;

import dev.streamhighlights.job.JobEnvironment;
import dev.streamhighlights.job.Restarts;
import dev.streamhighlights.job.config.ConfigException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Flink environments for runs on this machine: an embedded cluster, optionally with the web UI. */
final class LocalFlink {

  private LocalFlink() {}

  /** A local cluster with the web UI on 127.0.0.1:{@code port}, checkpointing into the data dir. */
  static StreamExecutionEnvironment withWebUi(
      int port, Path checkpointDir, Duration checkpointInterval) {
    requireFreePort(port);
    Configuration conf = new Configuration();
    conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
    conf.set(RestOptions.ADDRESS, "127.0.0.1");
    conf.set(RestOptions.PORT, port);
    // Everything on loopback: the web UI, and the blob and data servers of the local cluster.
    conf.set(JobManagerOptions.BIND_HOST, "127.0.0.1");
    conf.set(JobManagerOptions.ADDRESS, "127.0.0.1");
    conf.set(TaskManagerOptions.BIND_HOST, "127.0.0.1");
    conf.set(TaskManagerOptions.HOST, "127.0.0.1");
    conf.set(StateBackendOptions.STATE_BACKEND, "hashmap");
    conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDir.toUri().toString());
    // Checkpoints outlive the run (Ctrl-C, --duration), and the next start continues from the
    // newest: the detector's history, the channels being read.
    conf.set(
        CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
        ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    conf.set(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS, 2);
    Path latest = latestCheckpoint(checkpointDir);
    if (latest != null) {
      conf.set(StateRecoveryOptions.SAVEPOINT_PATH, latest.toString());
      conf.set(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, true);
      System.out.println("Continuing from checkpoint " + latest);
      pruneOtherJobs(checkpointDir, latest);
    }
    // A run left alone (Ctrl-C or --duration ends it) must not loop on a failure it meets again.
    Restarts.bound(conf);
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
    env.enableCheckpointing(checkpointInterval.toMillis());
    configure(env);
    Restarts.rideOutOutages(env);
    return env;
  }

  /** The newest completed checkpoint under {@code dir} (job id / chk-N / _metadata), or null. */
  static Path latestCheckpoint(Path dir) {
    if (!Files.isDirectory(dir)) {
      return null;
    }
    try (Stream<Path> files = Files.walk(dir, 3)) {
      return files
          .filter(p -> p.getFileName().toString().equals("_metadata"))
          .map(Path::getParent)
          .filter(p -> p.getFileName().toString().startsWith("chk-"))
          .max(Comparator.comparingLong(LocalFlink::lastModified))
          .orElse(null);
    } catch (IOException e) {
      return null;
    }
  }

  /** A run directory changed more recently than this may belong to a run still going on. */
  static final long PRUNE_AFTER_MILLIS = 10 * 60_000;

  /**
   * Deletes the directories of earlier runs under {@code dir}, all but the one holding {@code keep}
   * (the checkpoint this run continues from) and any changed in the last 10 minutes (another run on
   * the same data directory), so local runs do not pile up checkpoints.
   */
  static void pruneOtherJobs(Path dir, Path keep) {
    Path keepJob = keep.getParent();
    long recent = System.currentTimeMillis() - PRUNE_AFTER_MILLIS;
    try (Stream<Path> jobs = Files.list(dir)) {
      for (Path job :
          jobs.filter(Files::isDirectory)
              .filter(j -> !j.equals(keepJob))
              .filter(j -> newestChange(j) < recent)
              .toList()) {
        try (Stream<Path> tree = Files.walk(job)) {
          for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(p);
          }
        }
      }
    } catch (IOException e) {
      System.out.println("Could not remove old checkpoints under " + dir + ": " + e.getMessage());
    }
  }

  private static long newestChange(Path dir) {
    try (Stream<Path> files = Files.walk(dir, 2)) {
      return files
          .mapToLong(
              p -> {
                try {
                  return Files.getLastModifiedTime(p).toMillis();
                } catch (IOException e) {
                  return Long.MAX_VALUE;
                }
              })
          .max()
          .orElse(Long.MAX_VALUE);
    } catch (IOException e) {
      return Long.MAX_VALUE;
    }
  }

  private static long lastModified(Path p) {
    try {
      return Files.getLastModifiedTime(p.resolve("_metadata")).toMillis();
    } catch (IOException e) {
      return 0;
    }
  }

  private static void requireFreePort(int port) {
    try (ServerSocket probe = new ServerSocket()) {
      probe.bind(new InetSocketAddress("127.0.0.1", port));
    } catch (IOException e) {
      throw new ConfigException(
          "--web-ui-port "
              + port
              + " is in use on 127.0.0.1; stop what uses it or pick another port");
    }
  }

  /** A local cluster without web UI or checkpoints, for bounded runs. */
  static StreamExecutionEnvironment bounded() {
    return configure(StreamExecutionEnvironment.createLocalEnvironment(1));
  }

  static StreamExecutionEnvironment configure(StreamExecutionEnvironment env) {
    return JobEnvironment.singleTask(env);
  }
}
