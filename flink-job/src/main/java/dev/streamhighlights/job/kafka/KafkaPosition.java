package dev.streamhighlights.job.kafka;

import java.io.Serializable;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * A position in the chat topic: the earliest or latest offsets, the group's committed offsets (else
 * earliest), or the first record at or after a time.
 *
 * @param timestamp epoch milliseconds, for {@link Kind#TIMESTAMP} only
 */
public record KafkaPosition(Kind kind, long timestamp) implements Serializable {

  /** How a position is given. */
  public enum Kind {
    EARLIEST,
    LATEST,
    COMMITTED,
    TIMESTAMP
  }

  public static final String ACCEPTS =
      "earliest, latest, committed or an ISO-8601 instant such as 2026-11-26T18:00:00Z";

  public static KafkaPosition of(Kind kind) {
    return new KafkaPosition(kind, 0);
  }

  /** {@code earliest}, {@code latest}, {@code committed} or an ISO-8601 instant. */
  public static KafkaPosition parse(String text) {
    return switch (text) {
      case "earliest", "latest", "committed" -> of(Kind.valueOf(text.toUpperCase(Locale.ROOT)));
      default -> {
        try {
          yield new KafkaPosition(Kind.TIMESTAMP, Instant.parse(text).toEpochMilli());
        } catch (DateTimeParseException e) {
          throw new IllegalArgumentException(ACCEPTS + ", not '" + text + "'");
        }
      }
    };
  }
}
