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
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.ReadableConfig;
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

  /**
   * What must not start a restart loop ends the program here with one line. Under {@code flink run}
   * the client exits with code 2. In application mode (docker's {@code standalone-job}, the
   * Kubernetes operator) main() runs inside the JobManager: an exit there would end the JobManager
   * without a word to Flink, and Kubernetes would start it again and again (CrashLoopBackOff).
   * There the error is thrown instead. With {@code
   * execution.submit-failed-job-on-application-error} and a fixed job id (the operator sets one;
   * deploy/kubernetes sets the option) Flink records a FAILED job with this message, shown in the
   * web UI and the FlinkDeployment's status, and starts nothing again; without them the JobManager
   * still ends, with the message in its log (docker compose, which restarts nothing).
   */
  public static void exitOnConfigurationError(Main main) throws Exception {
    try {
      main.run();
    } catch (ConfigException | MongoPreflight.RefusedException e) {
      System.err.println("stream-highlights: " + e.getMessage());
      if (inApplicationMode(
          StreamExecutionEnvironment.getExecutionEnvironment().getConfiguration())) {
        throw e;
      }
      System.exit(2);
    }
  }

  /**
   * Whether main() runs inside the JobManager (application mode): Flink's application entry points
   * set {@code execution.target} to {@code embedded}.
   */
  static boolean inApplicationMode(ReadableConfig flinkConfiguration) {
    return "embedded".equals(flinkConfiguration.get(DeploymentOptions.TARGET));
  }

  /** A main that may throw. */
  @FunctionalInterface
  public interface Main {
    void run() throws Exception;
  }
}
