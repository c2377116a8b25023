package dev.streamhighlights.job.kafka;

import dev.streamhighlights.job.model.StoredHighlight;
import java.util.Map;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Highlights to the highlights topic, exactly once: records are written in a Kafka transaction that
 * commits with each checkpoint, so a consumer reading with {@code isolation.level= read_committed}
 * sees every highlight once, even across failures, about one checkpoint interval after it was
 * found.
 */
public final class HighlightKafka {

  private HighlightKafka() {}

  public static KafkaSink<StoredHighlight> sink(KafkaSettings kafka) {
    String topic = kafka.highlightsTopic();
    return KafkaSink.<StoredHighlight>builder()
        .setBootstrapServers(kafka.bootstrapServers())
        // 15 min unless the properties file says otherwise (a broker's transaction.max.timeout.ms
        // may be lower; a restore after longer than this loses the uncommitted highlights).
        .setKafkaProducerConfig(
            kafka.properties(
                Map.of(
                    ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                    Long.toString(KafkaSettings.TRANSACTION_TIMEOUT_MS))))
        .setRecordSerializer(
            (KafkaRecordSerializationSchema<StoredHighlight>)
                (s, context, timestamp) ->
                    new ProducerRecord<>(
                        topic,
                        null,
                        s.highlight().detectedAt(),
                        HighlightRecords.key(s),
                        HighlightRecords.value(s)))
        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
        .setTransactionalIdPrefix(kafka.transactionalIdPrefix())
        .build();
  }
}
