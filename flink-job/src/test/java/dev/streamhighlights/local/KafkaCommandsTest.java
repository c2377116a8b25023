package dev.streamhighlights.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamhighlights.job.ChatIngestJob;
import dev.streamhighlights.job.ChatInput;
import dev.streamhighlights.job.HighlightPipeline;
import dev.streamhighlights.job.JobOutputs;
import dev.streamhighlights.job.config.CommandLine;
import dev.streamhighlights.job.config.ConfigException;
import dev.streamhighlights.job.config.JobOptions;
import dev.streamhighlights.job.testing.GeneratedChatLog;
import dev.streamhighlights.job.testing.KafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Kafka commands as a user runs them: publish-chat, then a backtest from the topic. */
class KafkaCommandsTest {

  @TempDir Path dir;

  @Test
  void aLogPublishedToTheChatTopicBacktestsToTheSameFileAsTheLogItself() throws Exception {
    Path log = GeneratedChatLog.write(dir.resolve("chat.csv"));
    String servers = KafkaBroker.bootstrapServers();
    String chatTopic = KafkaBroker.createTopic("chat-commands", 2);
    Map<String, String> env = Map.of("KAFKA_BOOTSTRAP_SERVERS", servers);

    Backtests.publishChat(
        CommandLine.parse(
            new String[] {"--chat", log.toString(), "--kafka-chat-topic", chatTopic},
            env,
            LocalOptions.PUBLISH));
    Path fromFile = dir.resolve("file.jsonl");
    Path fromKafka = dir.resolve("kafka.jsonl");
    Backtests.backtest(
        CommandLine.parse(
            new String[] {"--chat", log.toString(), "--out", fromFile.toString()},
            Map.of(),
            LocalOptions.BACKTEST));
    Backtests.backtest(
        CommandLine.parse(
            new String[] {
              "--source", "kafka", "--kafka-chat-topic", chatTopic, "--out", fromKafka.toString()
            },
            env,
            LocalOptions.BACKTEST));

    List<String> lines = Files.readAllLines(fromFile);
    assertThat(lines).hasSizeGreaterThan(3);
    assertThat(Files.readAllLines(fromKafka)).isEqualTo(lines);
  }

  @Test
  void kafkaOptionsWithoutABrokerOrInConflictSayWhatIsMissing() {
    assertError(
        () ->
            ChatInput.from(
                CommandLine.parse(
                    new String[] {"--source", "kafka"}, Map.of(), JobOptions.CLUSTER)),
        "--source kafka needs --kafka-bootstrap-servers (or KAFKA_BOOTSTRAP_SERVERS)");
    assertError(
        () ->
            JobOutputs.withKafka(
                CommandLine.parse(
                    new String[] {"--publish-chat", "true"}, Map.of(), JobOptions.CLUSTER),
                "job",
                new HighlightPipeline.Sinks(List.of(), List.of())),
        "--publish-chat true needs --kafka-bootstrap-servers");
    assertError(
        () ->
            ChatInput.from(
                CommandLine.parse(
                    new String[] {"--source", "kafka", "--publish-chat", "true"},
                    Map.of("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1"),
                    JobOptions.CLUSTER)),
        "--publish-chat true needs --source irc");
    assertError(
        () ->
            Backtests.backtest(
                CommandLine.parse(
                    new String[] {"--chat", "x.csv", "--source", "kafka", "--out", "o.jsonl"},
                    Map.of("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1"),
                    LocalOptions.BACKTEST)),
        "give either --chat FILE or --source kafka, not both");
    assertError(
        () ->
            Backtests.backtest(
                CommandLine.parse(
                    new String[] {"--source", "kafka", "--kafka-from", "latest", "--out", "o"},
                    Map.of("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1"),
                    LocalOptions.BACKTEST)),
        "a backtest from Kafka replays from --kafka-from");
    assertError(() -> ChatIngestJob.run(new String[0]), "ingest needs --kafka-bootstrap-servers");
  }

  private interface Call {
    void run() throws Exception;
  }

  private static void assertError(Call call, String message) {
    assertThatThrownBy(call::run)
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(message);
  }
}
