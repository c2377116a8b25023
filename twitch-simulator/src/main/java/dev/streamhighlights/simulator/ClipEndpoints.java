package dev.streamhighlights.simulator;

import static dev.streamhighlights.simulator.UrlEncoded.first;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code POST /helix/clips} (create) and {@code GET /helix/clips} (look up), with the faults a clip
 * creator has to survive; {@link HelixServer} documents the order in which they apply.
 */
final class ClipEndpoints {

  /** An injected create outcome: an error status, or this for a 202 whose body is not JSON. */
  private static final int MALFORMED = 0;

  private final HelixGate gate;
  private final OAuthEndpoints tokens;

  // Guarded by "this"; answers are judged under the lock, but slow answers are held outside it so
  // they do not stall other requests.
  private int clipCreationLimit = 600;
  private int clipCreationRemaining = 600;
  private long creationDelayMillis;
  private int expireUserTokenAtClips;
  private int outageStatus;
  private long outageUntilMillis;
  private long slowDelayMillis;
  private long slowUntilMillis;
  private final Deque<Integer> createFaults = new ArrayDeque<>();
  private final Deque<Long> slowCreates = new ArrayDeque<>();
  private final Map<String, Clip> clips = new LinkedHashMap<>();
  private final List<HelixServer.CreateRequest> creates = new ArrayList<>();
  private final Set<String> neverConfirmed = new HashSet<>();
  private final Set<String> restricted = new HashSet<>();
  private final Set<String> offline = new HashSet<>();

  private final AtomicInteger getRequests = new AtomicInteger();
  private final AtomicInteger clipsCreated = new AtomicInteger();

  ClipEndpoints(HelixGate gate, OAuthEndpoints tokens) {
    this.gate = gate;
    this.tokens = tokens;
  }

  // ---- knobs, documented on HelixServer ----

  synchronized void setCreationDelay(Duration d) {
    creationDelayMillis = d.toMillis();
  }

  synchronized void expireUserTokenAfterClips(int n) {
    expireUserTokenAtClips = n;
  }

  synchronized void setClipCreationLimit(int remaining) {
    clipCreationLimit = remaining;
    clipCreationRemaining = remaining;
  }

  synchronized void failNextCreates(int status, int n) {
    for (int i = 0; i < n; i++) {
      createFaults.add(status);
    }
  }

  synchronized void malformedNextCreates(int n) {
    failNextCreates(MALFORMED, n);
  }

  synchronized void slowNextCreates(Duration delay, int n) {
    for (int i = 0; i < n; i++) {
      slowCreates.add(delay.toMillis());
    }
  }

  synchronized void failCreatesFor(int status, Duration duration) {
    outageStatus = status;
    outageUntilMillis = System.currentTimeMillis() + duration.toMillis();
  }

  synchronized void slowCreatesFor(Duration delay, Duration duration) {
    slowDelayMillis = delay.toMillis();
    slowUntilMillis = System.currentTimeMillis() + duration.toMillis();
  }

  synchronized void neverConfirm(String broadcasterId) {
    neverConfirmed.add(broadcasterId);
  }

  synchronized void restrictBroadcaster(String broadcasterId) {
    restricted.add(broadcasterId);
  }

  synchronized void offlineBroadcaster(String broadcasterId) {
    offline.add(broadcasterId);
  }

  // ---- observation ----

  synchronized List<HelixServer.CreateRequest> creates() {
    return List.copyOf(creates);
  }

  int getRequests() {
    return getRequests.get();
  }

  int clipsCreated() {
    return clipsCreated.get();
  }

  // ---- endpoints ----

  /** {@code POST /helix/clips}; null if the server closed while the answer was held. */
  HttpAnswer create(HttpExchange x) {
    Map<String, List<String>> query = UrlEncoded.parse(x.getRequestURI().getRawQuery());
    String broadcasterId = first(query, "broadcaster_id");
    String title = first(query, "title");
    String durationParam = first(query, "duration");
    String auth = x.getRequestHeaders().getFirst("Authorization");
    String token = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : auth;
    long now = System.currentTimeMillis();
    HttpAnswer answer;
    Long holdMillis;
    synchronized (this) {
      creates.add(
          new HelixServer.CreateRequest(
              broadcasterId, title, UrlEncoded.intOrNull(durationParam), token, now));
      holdMillis = slowCreates.poll();
      if (holdMillis == null && now < slowUntilMillis) {
        holdMillis = slowDelayMillis;
      }
      answer = judgeCreate(x, broadcasterId, title, durationParam, now);
      Headers h = x.getResponseHeaders();
      h.set("Ratelimit-Helixclipscreation-Limit", String.valueOf(clipCreationLimit));
      h.set("Ratelimit-Helixclipscreation-Remaining", String.valueOf(clipCreationRemaining));
    }
    if (holdMillis != null) {
      try {
        Thread.sleep(holdMillis);
      } catch (InterruptedException e) {
        // close() interrupts held answers: drop the exchange, the server is going away.
        Thread.currentThread().interrupt();
        return null;
      }
    }
    return answer;
  }

  /** {@code GET /helix/clips?id=...} or {@code ?broadcaster_id=...}. */
  HttpAnswer lookup(HttpExchange x) {
    getRequests.incrementAndGet();
    synchronized (this) {
      HttpAnswer refused = gate.admit(x);
      if (refused != null) {
        return refused;
      }
      Map<String, List<String>> query = UrlEncoded.parse(x.getRequestURI().getRawQuery());
      List<String> ids = query.getOrDefault("id", List.of());
      String broadcasterId = first(query, "broadcaster_id");
      if (ids.isEmpty() && broadcasterId == null) {
        return HttpAnswer.error(
            400, "Missing required parameter \"id\", \"broadcaster_id\" or \"game_id\"");
      }
      long now = System.currentTimeMillis();
      List<String> items = new ArrayList<>();
      for (Clip c : clips.values()) {
        boolean wanted =
            ids.isEmpty() ? c.broadcasterId().equals(broadcasterId) : ids.contains(c.id());
        if (wanted && now >= c.visibleAtMillis() && !neverConfirmed.contains(c.broadcasterId())) {
          items.add(c.toJson());
        }
      }
      return new HttpAnswer(200, "{\"data\":[" + String.join(",", items) + "],\"pagination\":{}}");
    }
  }

  /** Guarded by "this". */
  private HttpAnswer judgeCreate(
      HttpExchange x, String broadcasterId, String title, String durationParam, long now) {
    HttpAnswer refused = gate.admit(x);
    if (refused != null) {
      return refused;
    }
    if (broadcasterId == null || broadcasterId.isEmpty()) {
      return HttpAnswer.error(400, "Missing required parameter \"broadcaster_id\"");
    }
    Integer duration = UrlEncoded.intOrNull(durationParam);
    if (durationParam != null && (duration == null || duration < 5 || duration > 60)) {
      return HttpAnswer.error(
          400, "The parameter \"duration\" was malformed: the value must be 5-60");
    }
    if (clipCreationRemaining <= 0) {
      return HttpAnswer.tooManyRequests();
    }
    HttpAnswer fault = injectedFault(broadcasterId, now);
    if (fault != null) {
      return fault;
    }
    clipCreationRemaining--;
    int created = clipsCreated.incrementAndGet();
    if (created == expireUserTokenAtClips) {
      tokens.expireUserToken();
    }
    String id = "FakeClip" + created;
    clips.put(
        id,
        new Clip(
            id,
            broadcasterId,
            title == null ? "" : title,
            duration == null ? 30 : duration,
            now,
            now + creationDelayMillis));
    return new HttpAnswer(
        202,
        "{\"data\":[{\"id\":\""
            + id
            + "\",\"edit_url\":\"https://clips.twitch.tv/"
            + id
            + "/edit\"}]}");
  }

  /** Guarded by "this": a queued fault first, then an outage, then the broadcaster's settings. */
  private HttpAnswer injectedFault(String broadcasterId, long now) {
    Integer fault = createFaults.poll();
    if (fault != null) {
      return fault == MALFORMED ? new HttpAnswer(202, "{data:[") : HttpAnswer.error(fault);
    }
    if (now < outageUntilMillis) {
      return HttpAnswer.error(outageStatus);
    }
    if (restricted.contains(broadcasterId)) {
      return HttpAnswer.error(
          403,
          "The broadcaster has restricted the ability to capture clips to followers and/or"
              + " subscribers only.");
    }
    if (offline.contains(broadcasterId)) {
      return HttpAnswer.error(404, "Clipping is not possible for an offline channel.");
    }
    return null;
  }
}
