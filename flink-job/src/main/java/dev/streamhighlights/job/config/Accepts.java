package dev.streamhighlights.job.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * What an option accepts beyond its type, in words for errors and the README, and as a check.
 *
 * @param text "an integer from 1 to 10", "an https:// URL", ...
 * @param valid whether a parsed value is acceptable
 * @param needsUnit a duration: a bare number is refused (Flink would read it as milliseconds)
 */
public record Accepts<T>(String text, Predicate<T> valid, boolean needsUnit) {

  public Accepts(String text, Predicate<T> valid) {
    this(text, valid, false);
  }

  public static Accepts<Integer> between(int min, int max) {
    return new Accepts<>("an integer from " + min + " to " + max, v -> v >= min && v <= max);
  }

  public static Accepts<Double> between(double min, double max) {
    return new Accepts<>("a number from " + min + " to " + max, v -> v >= min && v <= max);
  }

  public static Accepts<Duration> between(Duration min, Duration max) {
    return new Accepts<>(
        "a duration from " + format(min) + " to " + format(max) + " (e.g. 500ms, 10s, 5m)",
        v -> v.compareTo(min) >= 0 && v.compareTo(max) <= 0,
        true);
  }

  public static Accepts<String> oneOf(String... choices) {
    List<String> list = List.of(choices);
    return new Accepts<>("one of " + String.join(", ", list), list::contains);
  }

  public static <E extends Enum<E>> Accepts<E> oneOf(Class<E> type) {
    return new Accepts<>(
        "one of "
            + String.join(
                ", ", Arrays.stream(type.getEnumConstants()).map(e -> e.toString()).toList()),
        v -> true);
  }

  public static Accepts<Boolean> bool() {
    return new Accepts<>("one of false, true", v -> true);
  }

  /** Free text that is not blank. */
  public static Accepts<String> text(String text) {
    return text(text, v -> true);
  }

  public static Accepts<String> text(String text, Predicate<String> valid) {
    return new Accepts<>(text, v -> !v.isBlank() && valid.test(v));
  }

  @SuppressWarnings("unchecked")
  boolean test(Object value) {
    return ((Predicate<Object>) valid).test(value);
  }

  /** A duration as the README and the errors show it: 500ms, 10s, 5m, 1h. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms == 0) {
      return "0s";
    } else if (ms % 3_600_000 == 0) {
      return ms / 3_600_000 + "h";
    } else if (ms % 60_000 == 0) {
      return ms / 60_000 + "m";
    } else if (ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }
}
