package dev.streamhighlights.job.kafka;

import dev.streamhighlights.irc.model.ChatMessage;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat topic: a sink that shares one ingest (IRC) with other jobs, and a source that runs the
 * pipeline from it instead of IRC (replay, backfill, tuning on recorded traffic).
 */
public final class ChatKafka {

  private ChatKafka() {}

  /**
   * Chat events to the topic, without transactions, so readers need not wait for checkpoints. A
   * replayable source (a file) may write a message twice after a failure. The IRC source cannot
   * replay: after a crash, messages still in the producer's buffer are lost like the chat sent
   * while the job was down, and nothing is written twice.
   */
  public static KafkaSink<ChatMessage> sink(KafkaSettings kafka) {
    String topic = kafka.chatTopic();
    return KafkaSink.<ChatMessage>builder()
        .setBootstrapServers(kafka.bootstrapServers())
        // Many small records: batch them a little, compress with lz4 (pure Java fallback); the
        // properties file may say otherwise.
        .setKafkaProducerConfig(
            kafka.properties(
                Map.of(
                    ProducerConfig.LINGER_MS_CONFIG, "20",
                    ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4")))
        .setRecordSerializer(
            (KafkaRecordSerializationSchema<ChatMessage>)
                (m, context, timestamp) ->
                    new ProducerRecord<>(
                        topic, null, m.eventTime(), ChatRecords.key(m), ChatRecords.value(m)))
        .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
        .build();
  }

  /**
   * Chat events from the topic, from {@code start}; bounded at {@code stop} when it is not null
   * (the job then finishes when every partition reached it).
   */
  public static KafkaSource<ChatMessage> source(
      KafkaSettings kafka, KafkaPosition start, KafkaPosition stop) {
    var builder =
        KafkaSource.<ChatMessage>builder()
            .setBootstrapServers(kafka.bootstrapServers())
            .setProperties(
                kafka.properties(Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")))
            .setTopics(kafka.chatTopic())
            .setGroupId(kafka.groupId())
            .setStartingOffsets(offsets(start))
            .setDeserializer(new ChatDeserializer());
    if (stop != null) {
      builder.setBounded(offsets(stop));
    }
    return builder.build();
  }

  static OffsetsInitializer offsets(KafkaPosition p) {
    return switch (p.kind()) {
      case EARLIEST -> OffsetsInitializer.earliest();
      case LATEST -> OffsetsInitializer.latest();
      case COMMITTED -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
      case TIMESTAMP -> OffsetsInitializer.timestamp(p.timestamp());
    };
  }

  /**
   * Reads chat events. A record that is not one (chatRecordsMalformed), or that claims a time more
   * than {@link ChatRecords#MAX_AHEAD_OF_CLOCK_MILLIS} ahead of this machine's clock
   * (chatRecordsFromFuture), is counted, logged (where and why, never the bytes) and skipped:
   * failing would restart the source at the same offset forever.
   */
  static final class ChatDeserializer implements KafkaRecordDeserializationSchema<ChatMessage> {

    private static final Logger LOG = LoggerFactory.getLogger(ChatDeserializer.class);

    /** The first skips of each kind are logged one by one, then every 1000th. */
    private static final int LOGGED = 10;

    private static final int LOG_EVERY = 1000;

    private transient Counter malformed;
    private transient Counter fromFuture;

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
      malformed = context.getMetricGroup().counter("chatRecordsMalformed");
      fromFuture = context.getMetricGroup().counter("chatRecordsFromFuture");
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ChatMessage> out)
        throws IOException {
      if (malformed == null) {
        // Not opened (tests that call deserialize directly): count anyway.
        malformed = new SimpleCounter();
        fromFuture = new SimpleCounter();
      }
      ChatMessage m;
      try {
        m = ChatRecords.parse(record.value());
      } catch (RuntimeException e) {
        skip(malformed, record, "is not a chat event", e.getMessage());
        return;
      }
      if (ChatRecords.isFromTheFuture(m, System.currentTimeMillis())) {
        skip(
            fromFuture,
            record,
            "claims a time in the future",
            Instant.ofEpochMilli(m.eventTime()).toString());
        return;
      }
      out.collect(m);
    }

    private static void skip(
        Counter counter, ConsumerRecord<byte[], byte[]> record, String what, String why) {
      counter.inc();
      long n = counter.getCount();
      if (n <= LOGGED || n % LOG_EVERY == 0) {
        LOG.warn(
            "Skipping a record that {} at {}-{} offset {} ({}); {} so far",
            what,
            record.topic(),
            record.partition(),
            record.offset(),
            printable(why),
            n);
      }
    }

    /**
     * A reason may quote the record (Jackson names the token it choked on): keep it one short line.
     */
    static String printable(String why) {
      String s = String.valueOf(why);
      StringBuilder sb = new StringBuilder(Math.min(s.length(), 120));
      for (int i = 0; i < s.length() && sb.length() < 120; i++) {
        char c = s.charAt(i);
        sb.append(c >= 0x20 && c < 0x7f ? c : '?');
      }
      return sb.toString();
    }

    @Override
    public TypeInformation<ChatMessage> getProducedType() {
      return TypeInformation.of(ChatMessage.class);
    }
  }
}
