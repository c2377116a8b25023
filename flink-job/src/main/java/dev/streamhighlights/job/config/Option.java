package dev.streamhighlights.job.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One typed configuration option: its command-line name, default, what it accepts and a one-line
 * description. Parsing errors name the option and what it accepts.
 */
public final class Option<T> {

  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

  private final String name;
  private final T defaultValue;
  private final String accepts;
  private final String description;
  private final String envVariable;
  private final boolean secret;
  private final Function<String, T> parser;

  private Option(
      String name,
      T defaultValue,
      String accepts,
      String description,
      String envVariable,
      boolean secret,
      Function<String, T> parser) {
    this.name = name;
    this.defaultValue = defaultValue;
    this.accepts = accepts;
    this.description = description;
    this.envVariable = envVariable;
    this.secret = secret;
    this.parser = parser;
  }

  public static Option<Integer> integer(
      String name, int defaultValue, int min, int max, String description) {
    String accepts = "an integer from " + min + " to " + max;
    return new Option<>(
        name,
        defaultValue,
        accepts,
        description,
        null,
        false,
        raw -> {
          int value;
          try {
            value = Integer.parseInt(raw.trim());
          } catch (NumberFormatException e) {
            throw invalid(name, accepts, raw);
          }
          if (value < min || value > max) {
            throw invalid(name, accepts, raw);
          }
          return value;
        });
  }

  public static Option<Double> decimal(
      String name, double defaultValue, double min, double max, String description) {
    String accepts = "a number from " + min + " to " + max;
    return new Option<>(
        name,
        defaultValue,
        accepts,
        description,
        null,
        false,
        raw -> {
          double value;
          try {
            value = Double.parseDouble(raw.trim());
          } catch (NumberFormatException e) {
            throw invalid(name, accepts, raw);
          }
          if (!(value >= min && value <= max)) {
            throw invalid(name, accepts, raw);
          }
          return value;
        });
  }

  public static Option<Duration> duration(
      String name, Duration defaultValue, Duration min, Duration max, String description) {
    String accepts =
        "a duration from " + format(min) + " to " + format(max) + " (e.g. 500ms, 10s, 5m)";
    return new Option<>(
        name,
        defaultValue,
        accepts,
        description,
        null,
        false,
        raw -> {
          Matcher m = DURATION.matcher(raw.trim().toLowerCase(Locale.ROOT));
          if (!m.matches()) {
            throw invalid(name, accepts, raw);
          }
          Duration value;
          try {
            long amount = Long.parseLong(m.group(1));
            value =
                switch (m.group(2)) {
                  case "ms" -> Duration.ofMillis(amount);
                  case "s" -> Duration.ofSeconds(amount);
                  case "m" -> Duration.ofMinutes(amount);
                  default -> Duration.ofHours(amount);
                };
          } catch (ArithmeticException | NumberFormatException e) {
            throw invalid(name, accepts, raw);
          }
          if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw invalid(name, accepts, raw);
          }
          return value;
        });
  }

  public static Option<String> choice(
      String name, String defaultValue, List<String> choices, String description) {
    String accepts = "one of " + String.join(", ", choices);
    return new Option<>(
        name,
        defaultValue,
        accepts,
        description,
        null,
        false,
        raw -> {
          String value = raw.trim().toLowerCase(Locale.ROOT);
          if (!choices.contains(value)) {
            throw invalid(name, accepts, raw);
          }
          return value;
        });
  }

  /** Free text; {@code defaultValue} may be null for "not set". */
  public static Option<String> text(
      String name, String defaultValue, String accepts, String description) {
    return new Option<>(
        name,
        defaultValue,
        accepts,
        description,
        null,
        false,
        raw -> {
          if (raw.isBlank()) {
            throw invalid(name, accepts, raw);
          }
          return raw.trim();
        });
  }

  /** The same option, also read from an environment variable when not given on the command line. */
  public Option<T> fromEnv(String variable) {
    return new Option<>(name, defaultValue, accepts, description, variable, secret, parser);
  }

  /**
   * The same option, refusing parsed values that fail {@code valid} with the usual one-line error
   * (the option, what it {@code accepts}, the value given).
   */
  public Option<T> checked(String accepts, Predicate<T> valid) {
    Function<String, T> unchecked = parser;
    return new Option<>(
        name,
        defaultValue,
        accepts,
        description,
        envVariable,
        secret,
        raw -> {
          T value = unchecked.apply(raw);
          if (!valid.test(value)) {
            throw invalid(name, accepts, raw);
          }
          return value;
        });
  }

  /** The same option, never echoed in errors or logs. */
  public Option<T> secret() {
    return new Option<>(name, defaultValue, accepts, description, envVariable, true, parser);
  }

  public T parse(String raw) {
    return parser.apply(raw);
  }

  public String name() {
    return name;
  }

  public String flag() {
    return "--" + name;
  }

  public T defaultValue() {
    return defaultValue;
  }

  public String accepts() {
    return accepts;
  }

  public String description() {
    return description;
  }

  /** The environment variable that can set this option, or null. */
  public String envVariable() {
    return envVariable;
  }

  public boolean isSecret() {
    return secret;
  }

  /** The default as the README and {@code --help} show it. */
  public String defaultText() {
    if (defaultValue == null) {
      return "(not set)";
    }
    return defaultValue instanceof Duration d ? format(d) : String.valueOf(defaultValue);
  }

  static String format(Duration d) {
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

  private static ConfigException invalid(String name, String accepts, String raw) {
    String shown = raw.length() > 40 ? raw.substring(0, 40) + "..." : raw;
    return new ConfigException("--" + name + " accepts " + accepts + ", not '" + shown + "'");
  }
}
