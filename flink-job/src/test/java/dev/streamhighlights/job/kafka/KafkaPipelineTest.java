package dev.streamhighlights.job.kafka;

import static dev.streamhighlights.job.testing.ChatScript.counts;
import static dev.streamhighlights.job.testing.ChatScript.windowStart;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamhighlights.irc.model.ChatMessage;
import dev.streamhighlights.job.HighlightPipeline;
import dev.streamhighlights.job.PipelineSettings;
import dev.streamhighlights.job.backtest.Backtest;
import dev.streamhighlights.job.backtest.ChatLog;
import dev.streamhighlights.job.backtest.ListChatSource;
import dev.streamhighlights.job.clip.OfflineClipCreator;
import dev.streamhighlights.job.model.ChannelActivity;
import dev.streamhighlights.job.testing.ChatScript;
import dev.streamhighlights.job.testing.FailOnce;
import dev.streamhighlights.job.testing.GeneratedChatLog;
import dev.streamhighlights.job.testing.KafkaBroker;
import dev.streamhighlights.job.testing.SlowChat;
import dev.streamhighlights.job.testing.TestCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The Kafka topics on a real broker (deploy/kafka/kafka.sh), with the job on a MiniCluster. */
class KafkaPipelineTest {

  @RegisterExtension static final MiniClusterExtension FLINK = TestCluster.create();

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private static KafkaSettings kafka(String chatTopic, String highlightsTopic) {
    return new KafkaSettings(
        KafkaBroker.bootstrapServers(),
        Map.of(),
        chatTopic,
        highlightsTopic,
        "test-" + chatTopic,
        "test-" + highlightsTopic);
  }

  @Test
  void chatRoundTripsThroughTheTopicKeyedByChannelAndStampedWithEventTime() throws Exception {
    List<ChatMessage> chat =
        new ChatScript()
            .channel("alpha", counts(20, 7, 5, 40))
            .channel("beta", counts(20, 3))
            .channel("gamma", counts(20, 11, 9, 30))
            .messages();
    String chatTopic = KafkaBroker.createTopic("chat-roundtrip", 3);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    env.fromSource(ListChatSource.of(chat), WatermarkStrategy.noWatermarks(), "chat")
        .sinkTo(ChatKafka.sink(kafka(chatTopic, "unused")));
    env.execute("chat to kafka");

    List<ConsumerRecord<byte[], byte[]>> records = KafkaBroker.readAll(chatTopic, "read_committed");
    assertThat(records).hasSize(chat.size());
    for (ConsumerRecord<byte[], byte[]> r : records) {
      ChatMessage m = ChatRecords.parse(r.value());
      assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(m.channel());
      assertThat(r.timestamp()).isEqualTo(m.eventTime());
      assertThat(new String(r.value(), StandardCharsets.UTF_8)).doesNotContain("text");
    }
    assertThat(records.stream().map(r -> ChatRecords.parse(r.value())).toList())
        .containsExactlyInAnyOrderElementsOf(chat);
    // One channel, one partition, in the order the job wrote it.
    Map<String, List<Integer>> partitions =
        records.stream()
            .collect(
                Collectors.groupingBy(
                    r -> new String(r.key(), StandardCharsets.UTF_8),
                    Collectors.mapping(ConsumerRecord::partition, Collectors.toList())));
    partitions.values().forEach(p -> assertThat(p.stream().distinct()).hasSize(1));
    for (String channel : List.of("alpha", "beta", "gamma")) {
      List<Long> times =
          records.stream()
              .map(r -> ChatRecords.parse(r.value()))
              .filter(m -> m.channel().equals(channel))
              .map(ChatMessage::eventTime)
              .toList();
      assertThat(times).isSortedAccordingTo(Comparator.naturalOrder());
    }
  }

  @Test
  void theIngestJobWritesEveryChatMessageToTheTopicAndNothingElse() throws Exception {
    List<ChatMessage> chat =
        new ChatScript()
            .channel("alpha", counts(12, 4, 6, 30))
            .channel("beta", counts(12, 2))
            .messages();
    String chatTopic = KafkaBroker.createTopic("chat-ingest", 2);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    HighlightPipeline.ingest(
        env, ListChatSource.of(chat), ChatKafka.sink(kafka(chatTopic, "unused")));
    // The full pipeline's uids, so the ingest job's savepoint fits a job with --publish-chat.
    List<String> uids =
        env.getStreamGraph(false).getStreamNodes().stream()
            .map(n -> String.valueOf(n.getTransformationUID()))
            .toList();
    assertThat(uids).contains(HighlightPipeline.UID_SOURCE);
    assertThat(uids).anyMatch(u -> u.startsWith(HighlightPipeline.UID_CHAT_TOPIC));
    env.execute("ingest");
    assertThat(
            KafkaBroker.readAll(chatTopic, "read_committed").stream()
                .map(r -> ChatRecords.parse(r.value()))
                .toList())
        .containsExactlyInAnyOrderElementsOf(chat);
  }

  @Test
  void theKafkaSourcePipelineFindsTheSameHighlightsAsTheFileBacktest() throws Exception {
    Path log = GeneratedChatLog.write(dir.resolve("chat.csv"));
    String chatTopic = KafkaBroker.createTopic("chat-backtest", 3);
    KafkaSettings kafka = kafka(chatTopic, "unused");

    // The file backtest, as `stream-highlights backtest --chat` runs it.
    StreamExecutionEnvironment fileEnv = StreamExecutionEnvironment.getExecutionEnvironment();
    fileEnv.setParallelism(1);
    ChatLog chatLog = ChatLog.read(log);
    Backtest.Result fromFile =
        Backtest.run(fileEnv, chatLog, PipelineSettings.defaults(), List.of(), List.of());

    // The same log into the topic, then the pipeline from the topic (two readers, 3 partitions).
    StreamExecutionEnvironment publish = StreamExecutionEnvironment.getExecutionEnvironment();
    publish.setParallelism(1);
    publish
        .fromSource(
            ListChatSource.of(chatLog.messages()), WatermarkStrategy.noWatermarks(), "chat log")
        .sinkTo(ChatKafka.sink(kafka));
    publish.execute("publish chat");
    StreamExecutionEnvironment kafkaEnv = StreamExecutionEnvironment.getExecutionEnvironment();
    kafkaEnv.setParallelism(2);
    Backtest.Result fromKafka =
        Backtest.run(
            kafkaEnv,
            ChatKafka.source(
                kafka,
                KafkaPosition.of(KafkaPosition.Kind.EARLIEST),
                KafkaPosition.of(KafkaPosition.Kind.LATEST)),
            HighlightPipeline.UID_KAFKA_SOURCE,
            PipelineSettings.defaults(),
            List.of(),
            List.of());

    assertThat(fromFile.highlights()).hasSizeGreaterThan(5);
    assertThat(fromKafka.highlights()).containsExactlyElementsOf(fromFile.highlights());
    assertThat(fromKafka.messages()).isEqualTo(chatLog.messages().size());
    assertThat(fromKafka.channels()).isEqualTo(fromFile.channels());
  }

  @Test
  void poisonRecordsOnTheChatTopicAreSkippedAndTheJobReadsOn() throws Exception {
    List<ChatMessage> chat =
        new ChatScript()
            .channel("alpha", counts(30, 4, 20, 40))
            .channel("beta", counts(30, 6, 25, 50))
            .messages();
    String chatTopic = KafkaBroker.createTopic("chat-poison", 1);
    Random random = new Random(7);
    byte[] huge = new byte[200_000];
    java.util.Arrays.fill(huge, (byte) '[');
    List<byte[]> poison = new ArrayList<>();
    poison.add(new byte[] {0, 0, (byte) 0xFE, (byte) 0xFF, 1, 2, 3, 4}); // not a text encoding
    poison.add("{\"channel\":\"alpha\",\"ti".getBytes(StandardCharsets.UTF_8)); // truncated
    poison.add("{\"channel\":[1],\"time\":\"x\"}".getBytes(StandardCharsets.UTF_8)); // types
    poison.add(null); // a tombstone
    poison.add(huge);
    for (int i = 0; i < 20; i++) {
      byte[] b = new byte[1 + random.nextInt(100)];
      random.nextBytes(b);
      poison.add(b);
    }
    // One record an hour ahead of the clock: read, it would drop the rest of the chat as late.
    poison.add(
        ChatRecords.value(
            new ChatMessage("alpha", "alpha", System.currentTimeMillis() + 3_600_000)));
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers());
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, "1000000");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      int half = chat.size() / 2;
      for (int i = 0; i < chat.size(); i++) {
        if (i == half) {
          for (byte[] p : poison) {
            producer.send(new ProducerRecord<>(chatTopic, null, null, p)).get();
          }
        }
        ChatMessage m = chat.get(i);
        producer.send(
            new ProducerRecord<>(
                chatTopic, null, m.eventTime(), ChatRecords.key(m), ChatRecords.value(m)));
      }
      producer.flush();
    }

    StreamExecutionEnvironment expectedEnv = StreamExecutionEnvironment.getExecutionEnvironment();
    expectedEnv.setParallelism(1);
    Backtest.Result expected =
        Backtest.run(
            expectedEnv,
            ListChatSource.of(chat),
            "chat-source",
            PipelineSettings.defaults(),
            List.of(),
            List.of());
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    Backtest.Result fromKafka =
        Backtest.run(
            env,
            ChatKafka.source(
                kafka(chatTopic, "unused"),
                KafkaPosition.of(KafkaPosition.Kind.EARLIEST),
                KafkaPosition.of(KafkaPosition.Kind.LATEST)),
            HighlightPipeline.UID_KAFKA_SOURCE,
            PipelineSettings.defaults(),
            List.of(),
            List.of());

    assertThat(expected.highlights()).isNotEmpty();
    assertThat(fromKafka.messages()).isEqualTo(chat.size());
    assertThat(fromKafka.highlights()).containsExactlyElementsOf(expected.highlights());
  }

  @Test
  void highlightsAreExactlyOnceForReadCommittedConsumersAcrossAFailure() throws Exception {
    String key = "kafka-exactly-once";
    List<ChatMessage> chat =
        new ChatScript()
            .channel("alpha", counts(70, 3, 12, 40, 30, 50, 50, 60))
            .channel("beta", counts(70, 4, 20, 50, 45, 70))
            .channel("gamma", counts(70, 6, 25, 80, 60, 90))
            .messages();
    String highlightsTopic = KafkaBroker.createTopic("highlights-eos", 2);
    String chatTopic = KafkaBroker.createTopic("chat-eos", 2);

    StreamExecutionEnvironment expectedEnv = StreamExecutionEnvironment.getExecutionEnvironment();
    expectedEnv.setParallelism(1);
    List<String> expected =
        Backtest.run(
                expectedEnv,
                ListChatSource.of(chat),
                "chat-source",
                PipelineSettings.defaults(),
                List.of(),
                List.of())
            .highlights()
            .stream()
            .map(s -> s.highlight().id())
            .toList();
    assertThat(expected).hasSize(7);

    // No checkpoint before the failure: every highlight written so far is in the first,
    // still open transaction, which the restore aborts. The job then replays from the start and
    // commits with the checkpoint after its input ended.
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    env.enableCheckpointing(10_000);
    env.getCheckpointConfig().setMinPauseBetweenCheckpoints(9_000); // the first after 9-10 s
    FailOnce.allowRestarts(env);
    String victim = "gamma:" + windowStart(66);
    HighlightPipeline.build(
        env,
        SlowChat.of(chat, 400),
        PipelineSettings.defaults(),
        OfflineClipCreator.factory(),
        new HighlightPipeline.Sinks(
                List.of(FailOnce.<ChannelActivity>at(key, ChannelActivity::id, victim)), List.of())
            .withHighlightTopic(HighlightKafka.sink(kafka("unused", highlightsTopic)))
            .withChatTopic(ChatKafka.sink(kafka(chatTopic, "unused"))));
    env.execute("exactly-once highlights");

    assertThat(FailOnce.fired(key)).isTrue();
    assertThat(FailOnce.seen(key, victim)).as("the restore replayed the input").isEqualTo(2);
    List<ConsumerRecord<byte[], byte[]>> committed =
        KafkaBroker.readAll(highlightsTopic, "read_committed");
    List<String> ids = committed.stream().map(r -> field(r, "id")).toList();
    assertThat(ids).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
    for (ConsumerRecord<byte[], byte[]> r : committed) {
      JsonNode v = JSON.readTree(r.value());
      assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(v.get("channel").asText());
      assertThat(r.timestamp()).isEqualTo(v.get("detectedAt").asLong());
      assertThat(v.get("v").asInt()).isEqualTo(HighlightRecords.VERSION);
      assertThat(v.get("clip").get("status").asText()).isEqualTo("offline");
    }
    // --publish-chat: the pipeline's chat sink wrote every message, at least once (the replay
    // after the failure may repeat some).
    List<ChatMessage> published =
        KafkaBroker.readAll(chatTopic, "read_committed").stream()
            .map(r -> ChatRecords.parse(r.value()))
            .toList();
    assertThat(published).containsAll(chat);
    assertThat(new java.util.HashSet<>(published)).hasSameSizeAs(new java.util.HashSet<>(chat));

    // The aborted first attempt did write its highlights: only read_committed hides them.
    long all = KafkaBroker.readAll(highlightsTopic, "read_uncommitted").size();
    assertThat(all).isGreaterThan(committed.size());
    System.out.printf(
        "exactly-once: %d highlights committed once each; %d records in the log with the aborted"
            + " ones%n",
        committed.size(), all);
  }

  private static String field(ConsumerRecord<byte[], byte[]> r, String name) {
    try {
      return JSON.readTree(r.value()).get(name).asText();
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }
}
