package dev.streamhighlights.job;

import dev.streamhighlights.job.config.JobOptions;
import dev.streamhighlights.job.config.Settings;
import dev.streamhighlights.job.kafka.ChatKafka;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The ingest job: live chat into the Kafka chat topic, for detection jobs that read it with {@code
 * --source kafka} ({@code flink run -c dev.streamhighlights.job.ChatIngestJob}).
 */
public final class ChatIngestJob {

  private ChatIngestJob() {}

  public static void main(String[] args) throws Exception {
    JobEnvironment.exitOnConfigurationError(() -> run(args));
  }

  /** The job from {@code args}; a configuration error is a {@code ConfigException}. */
  public static void run(String[] args) throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    Configuration options = JobEnvironment.options(args, env, JobOptions.INGEST);
    var kafka = Settings.requireKafka(options, "ingest");
    JobEnvironment.configure(
        env,
        options.get(JobOptions.CHECKPOINT_INTERVAL),
        options.contains(JobOptions.CHECKPOINT_INTERVAL));
    HighlightPipeline.ingest(
        env, Settings.chatSource(options, env.getParallelism()), ChatKafka.sink(kafka));
    env.execute("stream-highlights ingest");
  }
}
