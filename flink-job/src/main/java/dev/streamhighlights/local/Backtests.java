package dev.streamhighlights.local;

import static dev.streamhighlights.job.config.JobOptions.*;

import dev.streamhighlights.job.HighlightPipeline;
import dev.streamhighlights.job.PipelineSettings;
import dev.streamhighlights.job.backtest.Backtest;
import dev.streamhighlights.job.backtest.ChatLog;
import dev.streamhighlights.job.backtest.ListChatSource;
import dev.streamhighlights.job.config.CommandLine;
import dev.streamhighlights.job.config.ConfigException;
import dev.streamhighlights.job.config.Settings;
import dev.streamhighlights.job.kafka.ChatKafka;
import dev.streamhighlights.job.kafka.KafkaPosition;
import dev.streamhighlights.job.kafka.KafkaSettings;
import dev.streamhighlights.job.model.ChannelActivity;
import dev.streamhighlights.job.model.StoredHighlight;
import dev.streamhighlights.job.mongo.MongoPreflight;
import dev.streamhighlights.job.mongo.MongoSinks;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Recorded chat: backtests of the detector, and chat logs into the Kafka chat topic. */
final class Backtests {

  private Backtests() {}

  /** The {@code backtest} command: a chat log or the chat topic through the pipeline, bounded. */
  static void backtest(ReadableConfig options) throws Exception {
    Path out = Path.of(CommandLine.require(options, OUT_FILE));
    PipelineSettings settings = Settings.pipeline(options);
    List<Sink<ChannelActivity>> activitySinks = new ArrayList<>();
    List<Sink<StoredHighlight>> highlightSinks = new ArrayList<>();
    String uri = options.get(MONGO_URI);
    if (uri != null) {
      MongoPreflight.check(uri, options.get(MONGO_DATABASE));
      activitySinks.add(MongoSinks.activity(uri, options.get(MONGO_DATABASE)));
      highlightSinks.add(MongoSinks.highlights(uri, options.get(MONGO_DATABASE)));
    }
    Backtest.Result result;
    String from;
    String skipped;
    if (options.get(SOURCE) == ChatSourceKind.KAFKA) {
      if (options.get(CHAT_FILE) != null) {
        throw new ConfigException("give either --chat FILE or --source kafka, not both");
      }
      KafkaSettings kafka = Settings.requireKafka(options, "--source kafka");
      KafkaPosition start = Settings.position(options, KAFKA_FROM);
      KafkaPosition stop = Settings.position(options, KAFKA_UNTIL);
      if (start.kind() == KafkaPosition.Kind.LATEST
          || stop.kind() == KafkaPosition.Kind.EARLIEST
          || stop.kind() == KafkaPosition.Kind.COMMITTED) {
        throw new ConfigException(
            "a backtest from Kafka replays from --kafka-from (earliest, committed or a time)"
                + " until --kafka-until (latest or a time)");
      }
      result =
          Backtest.run(
              LocalFlink.bounded(),
              ChatKafka.source(kafka, start, stop),
              HighlightPipeline.UID_KAFKA_SOURCE,
              settings,
              activitySinks,
              highlightSinks);
      from = "topic '" + kafka.chatTopic() + "'";
      skipped = " (records that are not chat events: see the log and chatRecordsMalformed)";
    } else {
      if (options.get(CHAT_FILE) == null) {
        throw new ConfigException(
            "--chat is required: " + accepts(CHAT_FILE).text() + " (or --source kafka)");
      }
      ChatLog log = Settings.chatLog(options);
      result = Backtest.run(LocalFlink.bounded(), log, settings, activitySinks, highlightSinks);
      from = options.get(CHAT_FILE);
      skipped =
          String.format(
              Locale.ROOT,
              ", %d malformed rows skipped%s",
              result.malformedRows(),
              result.malformedRows() > 0
                  ? " (first at " + String.join(", ", result.malformedSamples()) + ")"
                  : "");
    }
    Backtest.write(result.highlights(), out);
    System.out.printf(
        Locale.ROOT,
        "backtest: %d messages in %d channels (%.2f h of chat) from %s%s%n"
            + "backtest: %d highlights (%.2f per hour) with the %s rule -> %s%n",
        result.messages(),
        result.channels(),
        result.chatHours(),
        from,
        skipped,
        result.highlights().size(),
        result.highlightsPerHour(),
        settings.rule(),
        out);
  }

  /** The {@code publish-chat} command: a recorded chat log into the Kafka chat topic. */
  static void publishChat(ReadableConfig options) throws Exception {
    KafkaSettings kafka = Settings.requireKafka(options, "publish-chat");
    ChatLog log = Settings.chatLog(options);
    StreamExecutionEnvironment env = LocalFlink.bounded();
    env.fromSource(ListChatSource.of(log.chat()), WatermarkStrategy.noWatermarks(), "chat log")
        .sinkTo(ChatKafka.sink(kafka))
        .name("chat to Kafka");
    env.execute("stream-highlights publish-chat");
    System.out.printf(
        Locale.ROOT,
        "publish-chat: %d messages from %s -> topic '%s' at %s (%d malformed rows skipped)%n",
        log.chat().size(),
        options.get(CHAT_FILE),
        kafka.chatTopic(),
        kafka.bootstrapServers(),
        log.malformedRows());
  }
}
