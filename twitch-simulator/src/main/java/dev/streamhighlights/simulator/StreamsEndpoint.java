package dev.streamhighlights.simulator;

import com.sun.net.httpserver.HttpExchange;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code GET /helix/streams?first=N&after=CURSOR}: the live channels, busiest first, in pages of at
 * most 100 (Twitch's limit; 20 when {@code first} is not given).
 */
final class StreamsEndpoint {

  private static final int DEFAULT_PAGE_SIZE = 20;
  private static final int MAX_PAGE_SIZE = 100;

  private final HelixGate gate;
  private volatile List<String> live = List.of();

  private final AtomicInteger requests = new AtomicInteger();
  // Guarded by "this": injected faults, counted in stream requests from the server's start.
  private int failFrom = Integer.MAX_VALUE;
  private int failStatus;
  private int failCount;
  private int drainAfter = Integer.MAX_VALUE;

  StreamsEndpoint(HelixGate gate) {
    this.gate = gate;
  }

  /** The live channels, most viewers first. */
  void setLive(List<String> channels) {
    live = List.copyOf(channels);
  }

  /** Stream list requests so far, whatever they were answered. */
  int requests() {
    return requests.get();
  }

  /** Requests number {@code from} (1 = the next one) to {@code from + count - 1} answer status. */
  synchronized void failRequests(int from, int status, int count) {
    failFrom = requests.get() + from;
    failStatus = status;
    failCount = count;
  }

  /** Right after the next {@code n}-th request, another client spends the whole bucket. */
  synchronized void drainBucketAfter(int n) {
    drainAfter = requests.get() + n;
  }

  /** A page of the live list; the cursor is the offset of the page's end. */
  HttpAnswer list(HttpExchange x) {
    int number = requests.incrementAndGet();
    HttpAnswer refused = gate.admitAppOrUser(x);
    drainIfDue(number);
    if (refused != null) {
      return refused;
    }
    HttpAnswer fault = faultFor(number);
    if (fault != null) {
      return fault;
    }
    Map<String, List<String>> q = UrlEncoded.parse(x.getRequestURI().getRawQuery());
    int first = orDefault(UrlEncoded.intOrNull(UrlEncoded.first(q, "first")), DEFAULT_PAGE_SIZE);
    if (first < 1 || first > MAX_PAGE_SIZE) {
      return HttpAnswer.error(
          400, "The parameter \"first\" was malformed: the value must be 1-100");
    }
    int offset = orDefault(UrlEncoded.intOrNull(UrlEncoded.first(q, "after")), 0);
    List<String> all = live;
    // The real list moves while it is read: each page after the first repeats the last entry of
    // the previous one.
    int from = Math.min(all.size(), offset > 0 ? offset - 1 : offset);
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

  private synchronized HttpAnswer faultFor(int number) {
    if (number >= failFrom && number < failFrom + failCount) {
      return HttpAnswer.error(failStatus);
    }
    return null;
  }

  private synchronized void drainIfDue(int number) {
    if (number == drainAfter) {
      gate.drain();
    }
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
