package dev.streamhighlights.simulator;

import com.sun.net.httpserver.HttpExchange;
import java.util.List;
import java.util.Map;

/** {@code GET /helix/streams?first=N&after=CURSOR}: the live channels, busiest first, in pages. */
final class StreamsEndpoint {

  private static final int DEFAULT_PAGE_SIZE = 20;

  private final HelixGate gate;
  private volatile List<String> live = List.of();

  StreamsEndpoint(HelixGate gate) {
    this.gate = gate;
  }

  /** The live channels, most viewers first. */
  void setLive(List<String> channels) {
    live = List.copyOf(channels);
  }

  /** A page of the live list; the cursor is the offset of the page's end. */
  HttpAnswer list(HttpExchange x) {
    HttpAnswer refused = gate.admitAppOrUser(x);
    if (refused != null) {
      return refused;
    }
    Map<String, List<String>> q = UrlEncoded.parse(x.getRequestURI().getRawQuery());
    int first = orDefault(UrlEncoded.intOrNull(UrlEncoded.first(q, "first")), DEFAULT_PAGE_SIZE);
    int offset = orDefault(UrlEncoded.intOrNull(UrlEncoded.first(q, "after")), 0);
    List<String> all = live;
    // The real list moves while it is read: each page after the first repeats the last entry of
    // the previous one.
    int from = offset > 0 ? offset - 1 : offset;
    int to = Math.min(all.size(), from + first);
    StringBuilder items = new StringBuilder();
    for (int i = from; i < to; i++) {
      if (items.length() > 0) {
        items.append(',');
      }
      items.append(streamJson(i, all.get(i)));
    }
    String cursor = to < all.size() ? "\"cursor\":\"" + to + "\"" : "";
    return new HttpAnswer(200, "{\"data\":[" + items + "],\"pagination\":{" + cursor + "}}");
  }

  /** The stream at {@code rank} (0 = busiest); ids and viewer counts follow from the rank. */
  private static String streamJson(int rank, String login) {
    String name = Json.escape(login);
    return "{\"id\":\""
        + (rank + 1)
        + "\",\"user_id\":\""
        + (rank + 1)
        + "\",\"user_login\":\""
        + name
        + "\",\"user_name\":\""
        + name
        + "\",\"type\":\"live\",\"viewer_count\":"
        + Math.max(1, 100_000 / (rank + 1))
        + '}';
  }

  private static int orDefault(Integer value, int fallback) {
    return value == null ? fallback : value;
  }
}
