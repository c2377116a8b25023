package dev.streamhighlights.job;

import dev.streamhighlights.job.config.CommandLine;
import dev.streamhighlights.job.config.ConfigException;
import dev.streamhighlights.job.mongo.MongoPreflight;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** The set-up every job on a cluster shares: options, checkpoints, restarts, types. */
public final class JobEnvironment {

  /**
   * A checkpoint that takes longer than this is given up. The job's state is small (about a hundred
   * bytes per channel), so a slow checkpoint means trouble, not size.
   */
  public static final long CHECKPOINT_TIMEOUT_MS = 120_000;

  private JobEnvironment() {}

  /**
   * The options {@code known} from the arguments, the environment and the Flink configuration the
   * job is submitted with ({@code stream-highlights.<option>} in config.yaml or {@code -D}).
   */
  public static Configuration options(
      String[] args, StreamExecutionEnvironment env, List<ConfigOption<?>> known) {
    return CommandLine.parse(args, System.getenv(), env.getConfiguration(), known);
  }

  /**
   * Checkpoints every {@code checkpointInterval} unless Flink's {@code
   * execution.checkpointing.interval} is set (the operator's cluster-wide choice wins, with a
   * warning when both are given), bounded restarts, no Kryo.
   */
  public static StreamExecutionEnvironment configure(
      StreamExecutionEnvironment env, Duration checkpointInterval, boolean intervalGiven) {
    Optional<Duration> flinkInterval =
        env.getConfiguration().getOptional(CheckpointingOptions.CHECKPOINTING_INTERVAL);
    if (flinkInterval.isEmpty()) {
      env.enableCheckpointing(checkpointInterval.toMillis());
    } else if (intervalGiven) {
      System.err.println(
          "stream-highlights: execution.checkpointing.interval ("
              + flinkInterval.get()
              + ") in the Flink configuration wins over --checkpoint-interval");
    }
    shared(env);
    Restarts.boundUnlessConfigured(env);
    Restarts.rideOutOutages(env);
    return env;
  }

  /**
   * Settings every run on this machine and every MiniCluster test shares: one task (two cores are
   * already busy at p=1), no Kryo, the checkpoint timeout.
   */
  public static StreamExecutionEnvironment singleTask(StreamExecutionEnvironment env) {
    env.setParallelism(1);
    return shared(env);
  }

  /** No Kryo; the checkpoint timeout unless Flink's configuration sets one. */
  private static StreamExecutionEnvironment shared(StreamExecutionEnvironment env) {
    env.getConfig().disableGenericTypes();
    if (env.getConfiguration().getOptional(CheckpointingOptions.CHECKPOINTING_TIMEOUT).isEmpty()) {
      env.getCheckpointConfig().setCheckpointTimeout(CHECKPOINT_TIMEOUT_MS);
    }
    return env;
  }

  /** What must not start a restart loop ends the program here: one line and exit code 2. */
  public static void exitOnConfigurationError(Main main) throws Exception {
    try {
      main.run();
    } catch (ConfigException | MongoPreflight.RefusedException e) {
      System.err.println("stream-highlights: " + e.getMessage());
      System.exit(2);
    }
  }

  /** A main that may throw. */
  @FunctionalInterface
  public interface Main {
    void run() throws Exception;
  }
}
