package dev.streamhighlights.local.web;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The query parameters of one API request, checked: an unknown or repeated parameter and a value
 * out of range are refused with a message for a 400 answer.
 */
final class Params {

  private final Map<String, String> values;

  private Params(Map<String, String> values) {
    this.values = values;
  }

  /** The parameters of {@code rawQuery} (may be null), each one of {@code accepted}. */
  static Params parse(String rawQuery, Set<String> accepted) {
    Map<String, String> values = new LinkedHashMap<>();
    if (rawQuery != null && !rawQuery.isEmpty()) {
      for (String pair : rawQuery.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String name = decode(eq < 0 ? pair : pair.substring(0, eq));
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
        if (!accepted.contains(name)) {
          throw new BadRequest(
              "unknown parameter '"
                  + shorten(name)
                  + "'; this endpoint takes "
                  + String.join(", ", accepted.stream().sorted().toList()));
        }
        if (values.put(name, value) != null) {
          throw new BadRequest("parameter '" + name + "' is given more than once");
        }
      }
    }
    return new Params(values);
  }

  /** The value, or null when absent or empty. */
  String text(String name, int maxLength) {
    String v = values.get(name);
    if (v == null || v.isEmpty()) {
      return null;
    }
    if (v.length() > maxLength) {
      throw new BadRequest(name + ": longer than " + maxLength + " characters");
    }
    return v;
  }

  int integer(String name, int defaultValue, int min, int max) {
    String v = values.get(name);
    if (v == null || v.isEmpty()) {
      return defaultValue;
    }
    try {
      int n = Integer.parseInt(v.strip());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new BadRequest(
        name + ": '" + shorten(v) + "' is not an integer from " + min + " to " + max);
  }

  /** One of {@code choices}, or {@code defaultValue} when absent. */
  String choice(String name, String defaultValue, String... choices) {
    String v = values.get(name);
    if (v == null || v.isEmpty()) {
      return defaultValue;
    }
    for (String c : choices) {
      if (c.equals(v)) {
        return c;
      }
    }
    throw new BadRequest(
        name + ": '" + shorten(v) + "' is not one of " + String.join(", ", choices));
  }

  /**
   * A time as epoch milliseconds or an ISO-8601 instant or offset date-time ({@code
   * 2024-05-01T12:00:00Z}), or null when absent.
   */
  Long time(String name) {
    String v = values.get(name);
    if (v == null || v.isEmpty()) {
      return null;
    }
    String s = v.strip();
    try {
      if (s.matches("-?\\d{1,15}")) {
        return Long.parseLong(s);
      }
      return s.endsWith("Z") || s.endsWith("z")
          ? Instant.parse(s).toEpochMilli()
          : OffsetDateTime.parse(s).toInstant().toEpochMilli();
    } catch (DateTimeParseException | NumberFormatException e) {
      throw new BadRequest(
          name
              + ": '"
              + shorten(v)
              + "' is not a time; give epoch milliseconds or an ISO-8601 instant such as"
              + " 2024-05-01T12:00:00Z");
    }
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new BadRequest("the query is not URL-encoded: " + e.getMessage());
    }
  }

  /** A value echoed in an error, cut short: the message stays one readable line. */
  private static String shorten(String s) {
    String one = s.replaceAll("\\p{Cntrl}", "?");
    return one.length() <= 40 ? one : one.substring(0, 40) + "...";
  }

  /** A request the API refuses: answered 400 with this message. */
  static final class BadRequest extends RuntimeException {
    BadRequest(String message) {
      super(message, null, false, false);
    }
  }
}
