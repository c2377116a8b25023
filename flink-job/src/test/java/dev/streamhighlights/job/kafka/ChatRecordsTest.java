package dev.streamhighlights.job.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamhighlights.irc.model.ChatMessage;
import dev.streamhighlights.job.config.ConfigException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class ChatRecordsTest {

  @Test
  void aChatEventIsCompactJsonWithoutText() {
    ChatMessage m = new ChatMessage("xqc", "71092938", 1_700_000_000_123L);
    String json = new String(ChatRecords.value(m), StandardCharsets.UTF_8);
    assertThat(json)
        .isEqualTo("{\"channel\":\"xqc\",\"channelId\":\"71092938\",\"time\":1700000000123}");
    assertThat(ChatRecords.parse(ChatRecords.value(m))).isEqualTo(m);
    assertThat(new String(ChatRecords.key(m), StandardCharsets.UTF_8)).isEqualTo("xqc");
  }

  @Test
  void readersIgnoreFieldsAddedLaterAndAMissingChannelId() {
    assertThat(parse("{\"time\":5,\"emotes\":[1,2],\"channel\":\"a\",\"x\":{\"y\":1}}"))
        .isEqualTo(new ChatMessage("a", "", 5));
  }

  @Test
  void somethingElseIsMalformedWithAReason() {
    assertMalformed("not json", "not JSON");
    assertMalformed("[1,2]", "not a JSON object");
    assertMalformed("{\"time\":5}", "no 'channel'");
    assertMalformed("{\"channel\":\"a\"}", "no 'time'");
    assertMalformed("{\"channel\":\"a\",\"time\":\"noon\"}", "'time' is not an integer");
    assertThatThrownBy(() -> ChatRecords.parse(null)).hasMessage("empty record");
  }

  @Test
  void theSourceSkipsMalformedRecordsAndKeepsTheRest() throws Exception {
    ChatKafka.ChatDeserializer deserializer = new ChatKafka.ChatDeserializer();
    List<ChatMessage> out = new ArrayList<>();
    Collector<ChatMessage> collector =
        new Collector<>() {
          @Override
          public void collect(ChatMessage record) {
            out.add(record);
          }

          @Override
          public void close() {}
        };
    deserializer.deserialize(record("{\"channel\":\"a\",\"time\":1}"), collector);
    deserializer.deserialize(record("garbage"), collector);
    deserializer.deserialize(record("{\"channel\":\"b\",\"time\":2}"), collector);
    assertThat(out).extracting(ChatMessage::channel).containsExactly("a", "b");
  }

  @Test
  void positionsAreNamedOrInstants() {
    assertThat(KafkaSettings.Position.parse("--kafka-start", "earliest").kind())
        .isEqualTo("earliest");
    KafkaSettings.Position at =
        KafkaSettings.Position.parse("--kafka-start", "2026-11-26T18:00:00Z");
    assertThat(at.kind()).isEqualTo("timestamp");
    assertThat(at.timestamp()).isEqualTo(1_795_716_000_000L);
    assertThatThrownBy(() -> KafkaSettings.Position.parse("--kafka-start", "yesterday"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("--kafka-start accepts earliest, latest, committed or an ISO-8601");
  }

  private static ConsumerRecord<byte[], byte[]> record(String value) {
    return new ConsumerRecord<>("chat", 0, 0, null, value.getBytes(StandardCharsets.UTF_8));
  }

  private static ChatMessage parse(String json) {
    return ChatRecords.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  private static void assertMalformed(String json, String reason) {
    assertThatThrownBy(() -> parse(json))
        .isInstanceOf(ChatRecords.MalformedRecordException.class)
        .hasMessageContaining(reason);
  }
}
