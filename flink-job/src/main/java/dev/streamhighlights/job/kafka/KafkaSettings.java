package dev.streamhighlights.job.kafka;

import java.io.Serializable;
import java.util.Map;
import java.util.Properties;

/**
 * Where and how the job talks to Kafka.
 *
 * @param bootstrapServers host:port list
 * @param clientProperties extra client settings (security, SASL) from {@code
 *     --kafka-properties-file}; they may hold secrets, so they are never logged
 * @param chatTopic chat events (see {@link ChatRecords})
 * @param highlightsTopic highlights (see {@link HighlightRecords})
 * @param groupId the consumer group of the chat source (offsets are committed on checkpoints, for
 *     lag monitoring; the job restores its own offsets from its checkpoints)
 * @param transactionalIdPrefix prefix of the exactly-once producer's transactional ids; unique per
 *     job writing to the same cluster (default: {@code stream-highlights-<command>})
 */
public record KafkaSettings(
    String bootstrapServers,
    Map<String, String> clientProperties,
    String chatTopic,
    String highlightsTopic,
    String groupId,
    String transactionalIdPrefix)
    implements Serializable {

  /** The longest a transaction of the exactly-once sink may stay open (the broker's maximum). */
  public static final long TRANSACTION_TIMEOUT_MS = 15 * 60 * 1000;

  public KafkaSettings {
    clientProperties = Map.copyOf(clientProperties);
  }

  /**
   * The client properties as Kafka wants them: the job's {@code defaults}, overridden by what the
   * properties file sets.
   */
  public Properties properties(Map<String, String> defaults) {
    Properties p = new Properties();
    p.putAll(defaults);
    p.putAll(clientProperties);
    return p;
  }

  /** Without the client properties, which may hold secrets. */
  @Override
  public String toString() {
    return "KafkaSettings[bootstrapServers="
        + bootstrapServers
        + ", clientProperties="
        + clientProperties.keySet()
        + ", chatTopic="
        + chatTopic
        + ", highlightsTopic="
        + highlightsTopic
        + ", groupId="
        + groupId
        + ", transactionalIdPrefix="
        + transactionalIdPrefix
        + "]";
  }
}
