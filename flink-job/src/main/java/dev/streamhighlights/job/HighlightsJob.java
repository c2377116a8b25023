package dev.streamhighlights.job;

import dev.streamhighlights.job.config.ConfigException;
import dev.streamhighlights.job.config.JobOptions;
import dev.streamhighlights.job.config.Settings;
import dev.streamhighlights.job.mongo.MongoPreflight;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The highlight job as a cluster runs it ({@code flink run}, application mode): live Twitch chat
 * (or the Kafka chat topic) into MongoDB by {@code MONGO_URI}, clips on Twitch.
 */
public final class HighlightsJob {

  private HighlightsJob() {}

  public static void main(String[] args) throws Exception {
    JobEnvironment.exitOnConfigurationError(() -> run(args));
  }

  /** The job from {@code args}; a configuration error is a {@code ConfigException}. */
  public static void run(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("ingest")) {
      throw new ConfigException(
          "the ingest job has its own entry class: flink run -c "
              + ChatIngestJob.class.getName()
              + " <jar> [--option value ...]");
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    Configuration options = JobEnvironment.options(args, env, JobOptions.CLUSTER);
    String mongoUri = options.get(JobOptions.MONGO_URI);
    if (mongoUri == null) {
      throw new ConfigException(
          "--mongo-uri is required on a cluster: set MONGO_URI or use --mongo-uri-file");
    }
    String database = options.get(JobOptions.MONGO_DATABASE);
    warnWithoutTokenStore(options);
    // What no restart fixes (credentials, no write role) stops here, not in a restart loop.
    MongoPreflight.check(mongoUri, database);

    JobEnvironment.configure(
        env,
        options.get(JobOptions.CHECKPOINT_INTERVAL),
        options.contains(JobOptions.CHECKPOINT_INTERVAL));
    ChatInput chat = ChatInput.from(options, env.getParallelism());
    HighlightPipeline.build(
        env,
        chat.source(),
        chat.uid(),
        Settings.pipeline(options),
        Settings.clips(options, options.get(JobOptions.TWITCH_TOKEN_STORE)),
        JobOutputs.of(options, "job", mongoUri, database, List.of()));
    env.execute("stream-highlights");
  }

  /**
   * Twitch spends a refresh token when it is used: after a restart the job would start again from
   * the one in the secrets, already spent, and store clips 'unauthorized'.
   */
  private static void warnWithoutTokenStore(Configuration options) {
    if (options.get(JobOptions.TWITCH_TOKEN_STORE) == null) {
      System.err.println(
          "stream-highlights: no --twitch-token-store: a user token the job refreshes is lost at"
              + " the next restart, and clips stop until new tokens are given. Give a path on"
              + " storage every task manager shares.");
    }
  }
}
