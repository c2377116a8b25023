package dev.streamhighlights.job;

import dev.streamhighlights.irc.model.ChatMessage;
import dev.streamhighlights.job.config.ConfigException;
import dev.streamhighlights.job.config.JobOptions;
import dev.streamhighlights.job.config.Settings;
import dev.streamhighlights.job.kafka.ChatKafka;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.ReadableConfig;

/** A chat source and the uid its state lives under. */
public record ChatInput(Source<ChatMessage, ?, ?> source, String uid) {

  /** Live IRC chat, or the Kafka chat topic with {@code --source kafka}, read by one subtask. */
  public static ChatInput from(ReadableConfig options) {
    return from(options, 1);
  }

  /** Live IRC chat, or the Kafka chat topic with {@code --source kafka}. */
  public static ChatInput from(ReadableConfig options, int parallelism) {
    if (options.get(JobOptions.SOURCE) == JobOptions.ChatSourceKind.KAFKA) {
      if (options.get(JobOptions.PUBLISH_CHAT)) {
        throw new ConfigException(
            "--publish-chat true needs --source irc: the job would write the topic it reads");
      }
      return new ChatInput(
          ChatKafka.source(
              Settings.requireKafka(options, "--source kafka"),
              Settings.position(options, JobOptions.KAFKA_START),
              null),
          HighlightPipeline.UID_KAFKA_SOURCE);
    }
    return new ChatInput(Settings.chatSource(options, parallelism), HighlightPipeline.UID_SOURCE);
  }
}
