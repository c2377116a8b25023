package dev.streamhighlights.job;

import dev.streamhighlights.job.config.JobOptions;
import dev.streamhighlights.job.config.Settings;
import dev.streamhighlights.job.kafka.ChatKafka;
import dev.streamhighlights.job.kafka.HighlightKafka;
import dev.streamhighlights.job.kafka.KafkaSettings;
import dev.streamhighlights.job.model.StoredHighlight;
import dev.streamhighlights.job.mongo.MongoClipLedger;
import dev.streamhighlights.job.mongo.MongoSinks;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.configuration.ReadableConfig;

/** Where a live job's results go: MongoDB, and the Kafka topics the options ask for. */
public final class JobOutputs {

  private JobOutputs() {}

  /**
   * Activity and highlights into MongoDB at {@code uri} (clip requests claimed there too), plus
   * {@code moreHighlightSinks}, plus the Kafka topics of the options.
   */
  public static HighlightPipeline.Sinks of(
      ReadableConfig options,
      String command,
      String uri,
      String database,
      List<Sink<StoredHighlight>> moreHighlightSinks) {
    List<Sink<StoredHighlight>> highlights = new ArrayList<>();
    highlights.add(MongoSinks.highlights(uri, database));
    highlights.addAll(moreHighlightSinks);
    return withKafka(
        options,
        command,
        new HighlightPipeline.Sinks(List.of(MongoSinks.activity(uri, database)), highlights)
            .withClipLedger(MongoClipLedger.factory(uri, database)));
  }

  /** The Kafka topics the options ask for, added to {@code sinks}. */
  public static HighlightPipeline.Sinks withKafka(
      ReadableConfig options, String command, HighlightPipeline.Sinks sinks) {
    KafkaSettings kafka = Settings.kafka(options, command);
    boolean publishChat = options.get(JobOptions.PUBLISH_CHAT);
    if (kafka == null) {
      if (publishChat) {
        Settings.requireKafka(options, "--publish-chat true");
      }
      return sinks;
    }
    HighlightPipeline.Sinks with = sinks.withHighlightTopic(HighlightKafka.sink(kafka));
    return publishChat ? with.withChatTopic(ChatKafka.sink(kafka)) : with;
  }
}
