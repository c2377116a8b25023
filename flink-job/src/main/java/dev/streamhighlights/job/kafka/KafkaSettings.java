package dev.streamhighlights.job.kafka;

import dev.streamhighlights.job.config.Config;
import dev.streamhighlights.job.config.ConfigException;
import dev.streamhighlights.job.config.Options;
import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

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

  /** Kafka settings from the options, or null when {@code --kafka-bootstrap-servers} is unset. */
  public static KafkaSettings from(Config config) {
    return from(config, "job");
  }

  /**
   * Kafka settings for {@code command} (demo, run, job, ...): the command names the default
   * transactional id prefix, so a demo never fences a cluster job's producer on a shared Kafka.
   */
  public static KafkaSettings from(Config config, String command) {
    String servers = config.get(Options.KAFKA_BOOTSTRAP_SERVERS);
    if (servers == null) {
      return null;
    }
    return new KafkaSettings(
        servers,
        readProperties(config.get(Options.KAFKA_PROPERTIES_FILE)),
        config.getOrDefault(Options.KAFKA_CHAT_TOPIC),
        config.getOrDefault(Options.KAFKA_HIGHLIGHTS_TOPIC),
        config.getOrDefault(Options.KAFKA_GROUP_ID),
        config.getOrDefault(Options.KAFKA_TRANSACTIONAL_ID_PREFIX) != null
            ? config.getOrDefault(Options.KAFKA_TRANSACTIONAL_ID_PREFIX)
            : "stream-highlights-" + command);
  }

  /** Like {@link #from} but says which option is missing when Kafka is needed. */
  public static KafkaSettings require(Config config, String why) {
    KafkaSettings settings = from(config);
    if (settings == null) {
      throw new ConfigException(
          why + " needs --kafka-bootstrap-servers (or KAFKA_BOOTSTRAP_SERVERS)");
    }
    return settings;
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

  private static Map<String, String> readProperties(String file) {
    if (file == null) {
      return Map.of();
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException e) {
      throw new ConfigException("--kafka-properties-file cannot read " + file + ": " + e);
    }
    Map<String, String> m = new TreeMap<>();
    p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
    return m;
  }

  /**
   * A position in the chat topic: {@code earliest}, {@code latest}, {@code committed} (the group's
   * offsets, else earliest) or an ISO-8601 instant such as 2026-11-26T18:00:00Z.
   */
  public record Position(String kind, long timestamp) implements Serializable {

    public static Position parse(String option, String text) {
      return switch (text) {
        case "earliest", "latest", "committed" -> new Position(text, 0);
        default -> {
          try {
            yield new Position("timestamp", Instant.parse(text).toEpochMilli());
          } catch (DateTimeParseException e) {
            throw new ConfigException(
                option
                    + " accepts earliest, latest, committed or an ISO-8601 instant such as"
                    + " 2026-11-26T18:00:00Z, not '"
                    + text
                    + "'");
          }
        }
      };
    }
  }
}
