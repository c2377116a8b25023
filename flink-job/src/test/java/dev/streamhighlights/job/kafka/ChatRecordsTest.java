package dev.streamhighlights.job.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamhighlights.irc.model.ChatMessage;
import dev.streamhighlights.job.config.CommandLine;
import dev.streamhighlights.job.config.ConfigException;
import dev.streamhighlights.job.config.JobOptions;
import dev.streamhighlights.job.config.Settings;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.Collector;
import org.apache.flink.util.UserCodeClassLoader;
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
  void aWatchStartMarkerTravelsThroughTheTopic() {
    ChatMessage marker = ChatMessage.watchStart("xqc", "71092938", 1_700_000_000_123L);
    assertThat(new String(ChatRecords.value(marker), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"channel\":\"xqc\",\"channelId\":\"71092938\",\"time\":1700000000123,"
                + "\"watchStart\":true}");
    assertThat(ChatRecords.parse(ChatRecords.value(marker))).isEqualTo(marker);
    assertThat(parse("{\"channel\":\"a\",\"time\":5,\"watchStart\":false}").isMessage()).isTrue();
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
    assertMalformed("{\"channel\":\"a\",\"time\":-1}", "'time' is negative");
    assertMalformed("{\"channel\":\"a\",\"time\":123456789012345678901234}", "out of range");
    assertMalformed("{\"channel\":7,\"time\":1}", "no 'channel'");
    assertMalformed("{\"channel\":\"a\",\"time\":1", "not JSON");
  }

  @Test
  void bytesThatAreNoTextEncodingAreMalformedNotAnIoError() {
    // Jackson reads these as UTF-32 and throws CharConversionException, an IOException that is no
    // JsonProcessingException: it used to escape as UncheckedIOException.
    byte[][] poison = {
      {0, 0, (byte) 0xFE, (byte) 0xFF, 1, 2, 3, 4},
      {0, 0, 0, '{', (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF},
      {'{', '"', 'c', (byte) 0xC3},
      {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, (byte) 0xFF},
      {},
    };
    for (byte[] value : poison) {
      assertThatThrownBy(() -> ChatRecords.parse(value))
          .isInstanceOf(ChatRecords.MalformedRecordException.class);
    }
  }

  @Test
  void aHugeRecordIsRefusedBeforeParsing() {
    byte[] huge = new byte[ChatRecords.MAX_VALUE_BYTES + 1];
    java.util.Arrays.fill(huge, (byte) '[');
    assertThatThrownBy(() -> ChatRecords.parse(huge))
        .isInstanceOf(ChatRecords.MalformedRecordException.class)
        .hasMessageStartingWith("too large");
  }

  @Test
  void randomBytesAreSkippedAndCountedNeverThrown() throws Exception {
    Counters counters = new Counters();
    ChatKafka.ChatDeserializer deserializer = counters.open(new ChatKafka.ChatDeserializer());
    List<ChatMessage> out = new ArrayList<>();
    Random random = new Random(12);
    int records = 20_000;
    for (int i = 0; i < records; i++) {
      byte[] value = new byte[random.nextInt(200)];
      random.nextBytes(value);
      if (i % 4 == 0 && value.length > 4) {
        // A valid beginning with a random tail: truncated and corrupted records.
        byte[] start = "{\"channel\":\"a\",\"time\":".getBytes(StandardCharsets.UTF_8);
        System.arraycopy(start, 0, value, 0, Math.min(start.length, value.length));
      } else if (i % 4 == 1 && value.length > 4) {
        // Two zero bytes first: Jackson takes it for UTF-32 and fails with an IOException.
        value[0] = 0;
        value[1] = 0;
      }
      deserializer.deserialize(record(value), collector(out));
    }
    assertThat(counters.get("chatRecordsMalformed") + out.size()).isEqualTo(records);
    assertThat(counters.get("chatRecordsMalformed")).isGreaterThan(records - 10);
  }

  @Test
  void aRecordFromTheFutureIsSkippedAndCountedApart() throws Exception {
    Counters counters = new Counters();
    ChatKafka.ChatDeserializer deserializer = counters.open(new ChatKafka.ChatDeserializer());
    List<ChatMessage> out = new ArrayList<>();
    long now = System.currentTimeMillis();
    deserializer.deserialize(record("{\"channel\":\"a\",\"time\":" + now + "}"), collector(out));
    // An 18-digit millisecond time, as a broken clock writes it.
    deserializer.deserialize(
        record("{\"channel\":\"a\",\"time\":170000000012300000}"), collector(out));
    deserializer.deserialize(
        record("{\"channel\":\"a\",\"time\":" + (now + 60_000) + "}"), collector(out));
    deserializer.deserialize(
        record("{\"channel\":\"b\",\"time\":" + (now + 1_000) + "}"), collector(out));
    assertThat(out).extracting(ChatMessage::channel).containsExactly("a", "b");
    assertThat(counters.get("chatRecordsFromFuture")).isEqualTo(2);
    assertThat(counters.get("chatRecordsMalformed")).isZero();
  }

  @Test
  void aSkipReasonIsLoggedAsOneShortPrintableLine() {
    assertThat(ChatKafka.ChatDeserializer.printable("bad\r\ntoken '\u0000x'"))
        .isEqualTo("bad??token '?x'");
    assertThat(ChatKafka.ChatDeserializer.printable("x".repeat(500))).hasSize(120);
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
    assertThat(KafkaPosition.parse("earliest").kind()).isEqualTo(KafkaPosition.Kind.EARLIEST);
    KafkaPosition at = KafkaPosition.parse("2026-11-26T18:00:00Z");
    assertThat(at.kind()).isEqualTo(KafkaPosition.Kind.TIMESTAMP);
    assertThat(at.timestamp()).isEqualTo(1_795_716_000_000L);
    assertThatThrownBy(
            () ->
                Settings.position(
                    CommandLine.parse(
                        new String[] {"--kafka-start", "yesterday"},
                        java.util.Map.of(),
                        java.util.List.of(JobOptions.KAFKA_START)),
                    JobOptions.KAFKA_START))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("--kafka-start accepts earliest, latest, committed or an ISO-8601");
  }

  private static ConsumerRecord<byte[], byte[]> record(String value) {
    return record(value.getBytes(StandardCharsets.UTF_8));
  }

  private static ConsumerRecord<byte[], byte[]> record(byte[] value) {
    return new ConsumerRecord<>("chat", 0, 0, null, value);
  }

  private static Collector<ChatMessage> collector(List<ChatMessage> out) {
    return new Collector<>() {
      @Override
      public void collect(ChatMessage record) {
        out.add(record);
      }

      @Override
      public void close() {}
    };
  }

  /** The counters a deserializer registers, readable by name. */
  private static final class Counters extends UnregisteredMetricsGroup {
    private final Map<String, Counter> byName = new HashMap<>();

    @Override
    public Counter counter(String name) {
      return counter(name, new SimpleCounter());
    }

    @Override
    public <C extends Counter> C counter(String name, C counter) {
      byName.put(name, counter);
      return counter;
    }

    long get(String name) {
      return byName.get(name).getCount();
    }

    ChatKafka.ChatDeserializer open(ChatKafka.ChatDeserializer deserializer) {
      MetricGroup group = this;
      deserializer.open(
          new DeserializationSchema.InitializationContext() {
            @Override
            public MetricGroup getMetricGroup() {
              return group;
            }

            @Override
            public UserCodeClassLoader getUserCodeClassLoader() {
              return null;
            }
          });
      return deserializer;
    }
  }

  private static ChatMessage parse(String json) {
    return ChatRecords.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void theCanonicalFormIsReadWithoutJsonAndAsJacksonReadsIt() throws Exception {
    java.util.Random r = new java.util.Random(5);
    String alphabet = "abcxyz_019\"\\ {}:,\u00e9\u65e5\t";
    int canonical = 0;
    for (int round = 0; round < 20_000; round++) {
      StringBuilder channel = new StringBuilder();
      int n = r.nextInt(4) == 0 ? r.nextInt(6) : 1 + r.nextInt(12);
      for (int i = 0; i < n; i++) {
        channel.append(
            r.nextInt(5) == 0
                ? alphabet.charAt(r.nextInt(alphabet.length()))
                : (char) ('a' + r.nextInt(26)));
      }
      String id = r.nextBoolean() ? "" : Long.toString(r.nextInt(1_000_000_000));
      long time = r.nextInt(10) == 0 ? r.nextInt(10) : 1_600_000_000_000L + r.nextInt(1 << 30);
      ChatMessage m =
          r.nextInt(8) == 0
              ? ChatMessage.watchStart(channel.toString(), id, time)
              : new ChatMessage(channel.toString(), id, time);
      byte[] value = ChatRecords.value(m);
      if (r.nextInt(3) == 0) { // a damaged or reformatted record
        value = value.clone();
        int at = r.nextInt(value.length);
        switch (r.nextInt(3)) {
          case 0 -> value[at] = (byte) alphabet.charAt(r.nextInt(alphabet.length()));
          case 1 -> value = java.util.Arrays.copyOf(value, at);
          default -> {
            byte[] longer = new byte[value.length + 1];
            System.arraycopy(value, 0, longer, 0, at);
            longer[at] = (byte) (r.nextBoolean() ? ' ' : '0');
            System.arraycopy(value, at, longer, at + 1, value.length - at);
            value = longer;
          }
        }
      }
      ChatMessage fast = ChatRecords.readCanonical(value);
      ChatMessage jackson;
      try {
        jackson = ChatRecords.read(value);
      } catch (Exception e) {
        jackson = null;
      }
      if (fast != null) {
        canonical++;
        assertThat(fast).as(new String(value, StandardCharsets.UTF_8)).isEqualTo(jackson);
        assertThat(fast.isMessage()).isEqualTo(jackson.isMessage());
      }
    }
    assertThat(canonical).as("most records take the fast path").isGreaterThan(10_000);
  }

  private static void assertMalformed(String json, String reason) {
    assertThatThrownBy(() -> parse(json))
        .isInstanceOf(ChatRecords.MalformedRecordException.class)
        .hasMessageContaining(reason);
  }
}
