package dev.streamhighlights.simulator;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Twitch's clip endpoints ({@code POST/GET /helix/clips}) and the user-token endpoints ({@code GET
 * /oauth2/validate}, {@code POST /oauth2/token} with a refresh token) on 127.0.0.1, as Twitch
 * answers them, with knobs to inject the failures a clip creator has to survive.
 *
 * <p>Order in which a clip creation request is judged, so tests can predict which knob wins: the
 * Helix rate-limit bucket (429), the token and Client-Id (401), the clip-creation counter (429),
 * injected faults from {@link #failNextCreates} / {@link #malformedNextCreates} (first configured,
 * first served), then {@link #failCreatesFor} while it lasts, then {@link #restrictBroadcaster}
 * (403) and {@link #offlineBroadcaster} (404). Requests refused by the bucket or by auth do not use
 * up injected faults, so a test can expire the token and inject a 500 and still see the 500 after
 * the client refreshed.
 *
 * <p>A clip only exists when its id was sent in a 202: a malformed answer creates nothing, a slow
 * answer creates the clip before it is held (the client may give up on an answer whose clip exists,
 * which is how duplicate clips happen for real).
 */
public final class HelixServer implements AutoCloseable {

  /** One {@code POST /helix/clips} as it arrived, whatever it was answered. */
  public record CreateRequest(
      String broadcasterId, String title, Integer duration, String token, long atMillis) {}

  private record Clip(
      String id,
      String broadcasterId,
      String title,
      int duration,
      long createdAtMillis,
      long visibleAtMillis) {}

  /** An injected create outcome: an error status, or 0 for a 202 whose body is not JSON. */
  private static final int MALFORMED = 0;

  private final String clientId;
  private final String clientSecret;
  private final HttpServer server;
  private final ExecutorService executor;

  // All mutable state below is guarded by "this"; answers are built under the lock, but slow
  // answers are held outside it so they do not stall other requests.
  private String userToken;
  private boolean userTokenValid = true;

  /** App access token of the client-credentials grant (for the stream list); null until issued. */
  private String appToken;

  private int appTokensIssued;

  /** Live channels, most viewers first, as {@code GET /helix/streams} lists them. */
  private volatile List<String> live = List.of();

  private volatile boolean repeatAcrossPages = true;
  private String refreshToken;
  private int tokensIssued;

  /** The access token expires once this many clips exist; 0 = never. */
  private int expireUserTokenAtClips;

  private int rateLimit = 800;
  private long rateWindowMillis = 60_000;
  private int rateRemaining = 800;
  private long rateResetMillis;

  private int clipCreationLimit = 600;
  private int clipCreationRemaining = 600;

  private long creationDelayMillis;
  private int outageStatus;
  private long outageUntilMillis;
  private long slowDelayMillis;
  private long slowUntilMillis;
  private final Deque<Integer> createFaults = new ArrayDeque<>();
  private final Deque<Integer> getFaults = new ArrayDeque<>();
  private final Deque<Long> slowCreates = new ArrayDeque<>();
  private final Map<String, Clip> clips = new LinkedHashMap<>();
  private final List<CreateRequest> creates = new ArrayList<>();

  private final Set<String> neverConfirmed = ConcurrentHashMap.newKeySet();
  private final Set<String> restricted = ConcurrentHashMap.newKeySet();
  private final Set<String> offline = ConcurrentHashMap.newKeySet();

  private final AtomicInteger getRequests = new AtomicInteger();
  private final AtomicInteger validateRequests = new AtomicInteger();
  private final AtomicInteger refreshRequests = new AtomicInteger();
  private final AtomicInteger clipsCreated = new AtomicInteger();

  private HelixServer(String clientId, String clientSecret, String userToken, String refreshToken)
      throws IOException {
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    this.userToken = userToken;
    this.refreshToken = refreshToken;
    this.rateResetMillis = System.currentTimeMillis() + rateWindowMillis;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    // The default executor runs every exchange on the one dispatcher thread, so a held (slow)
    // answer would block all others; daemon threads so a forgotten close() cannot hang the JVM.
    AtomicInteger threads = new AtomicInteger();
    executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "fake-helix-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/oauth2", x -> handle(x, this::oauth));
    server.createContext("/helix", x -> handle(x, this::helix));
    server.start();
  }

  public static HelixServer start(
      String clientId, String clientSecret, String userToken, String refreshToken) {
    try {
      return new HelixServer(clientId, clientSecret, userToken, refreshToken);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public String helixBaseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/helix";
  }

  public String authBaseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/oauth2";
  }

  // ---- knobs ----

  /** How long after its creation a clip shows up in {@code GET /helix/clips} (Twitch: seconds). */
  public synchronized void setCreationDelay(Duration d) {
    creationDelayMillis = d.toMillis();
  }

  /** The current access token stops working (401 on Helix and validate) until a refresh. */
  public synchronized void expireUserToken() {
    userTokenValid = false;
  }

  /**
   * The access token stops working right after the {@code n}-th clip is created (counted from the
   * server's start), so the requests that follow it are refused while the job runs.
   */
  public synchronized void expireUserTokenAfterClips(int n) {
    expireUserTokenAtClips = n;
  }

  /** The latest access token, even if {@link #expireUserToken} made it invalid. */
  public synchronized String currentUserToken() {
    return userToken;
  }

  public synchronized String currentRefreshToken() {
    return refreshToken;
  }

  /** Sets the Helix bucket and fills it, with the next refill one window from now. */
  public synchronized void setRateLimit(int perWindow, Duration window) {
    rateLimit = perWindow;
    rateRemaining = perWindow;
    rateWindowMillis = window.toMillis();
    rateResetMillis = System.currentTimeMillis() + rateWindowMillis;
  }

  /** Clips that may still be created; each created clip uses one, it never refills. */
  public synchronized void setClipCreationLimit(int remaining) {
    clipCreationLimit = remaining;
    clipCreationRemaining = remaining;
  }

  /** The next {@code n} authorized create requests answer {@code status} with a Twitch body. */
  public synchronized void failNextCreates(int status, int n) {
    for (int i = 0; i < n; i++) {
      createFaults.add(status);
    }
  }

  /** The next {@code n} authorized clip lookups answer {@code status} with a Twitch body. */
  public synchronized void failNextGets(int status, int n) {
    for (int i = 0; i < n; i++) {
      getFaults.add(status);
    }
  }

  /** The next {@code n} authorized create requests answer 202 with a body that is not JSON. */
  public synchronized void malformedNextCreates(int n) {
    for (int i = 0; i < n; i++) {
      createFaults.add(MALFORMED);
    }
  }

  /**
   * The next {@code n} create requests (whatever they are answered) are held this long before the
   * answer is sent; a clip they create exists from the moment they arrive.
   */
  public synchronized void slowNextCreates(Duration delay, int n) {
    for (int i = 0; i < n; i++) {
      slowCreates.add(delay.toMillis());
    }
  }

  /**
   * For {@code duration} from now, every authorized create request (not used up by a {@link
   * #failNextCreates} fault) answers {@code status}: Helix having an outage.
   */
  public synchronized void failCreatesFor(int status, Duration duration) {
    outageStatus = status;
    outageUntilMillis = System.currentTimeMillis() + duration.toMillis();
  }

  /**
   * For {@code duration} from now, every create request is held {@code delay} before its answer
   * (one queued by {@link #slowNextCreates} keeps its own delay): Helix answering slowly.
   */
  public synchronized void slowCreatesFor(Duration delay, Duration duration) {
    slowDelayMillis = delay.toMillis();
    slowUntilMillis = System.currentTimeMillis() + duration.toMillis();
  }

  /** Clips of this broadcaster, made before or after this call, never show up in a lookup. */
  public void neverConfirm(String broadcasterId) {
    neverConfirmed.add(broadcasterId);
  }

  /** Creating a clip of this broadcaster always answers 403 (followers/subscribers only). */
  public void restrictBroadcaster(String broadcasterId) {
    restricted.add(broadcasterId);
  }

  /** Creating a clip of this broadcaster always answers 404 (channel offline). */
  public void offlineBroadcaster(String broadcasterId) {
    offline.add(broadcasterId);
  }

  // ---- observation ----

  /** Every create request so far, in arrival order, including refused ones. */
  public synchronized List<CreateRequest> creates() {
    return List.copyOf(creates);
  }

  public int getRequests() {
    return getRequests.get();
  }

  public int validateRequests() {
    return validateRequests.get();
  }

  /** Every {@code POST /oauth2/token}, refused ones and app-token grants included. */
  public int refreshRequests() {
    return refreshRequests.get();
  }

  /** Create requests answered 202 with a clip id (slow ones count from their arrival). */
  public int clipsCreated() {
    return clipsCreated.get();
  }

  @Override
  public void close() {
    server.stop(0);
    // Interrupts held (slow) answers, which stop() does not wait for.
    executor.shutdownNow();
  }

  // ---- OAuth ----

  private Answer oauth(HttpExchange x) throws IOException {
    String path = x.getRequestURI().getPath();
    if (path.equals("/oauth2/validate") && "GET".equals(x.getRequestMethod())) {
      return validate(x);
    }
    if (path.equals("/oauth2/token") && "POST".equals(x.getRequestMethod())) {
      return token(x);
    }
    return new Answer(404, "{\"status\":404,\"message\":\"Not Found\"}");
  }

  private synchronized Answer validate(HttpExchange x) {
    validateRequests.incrementAndGet();
    String auth = x.getRequestHeaders().getFirst("Authorization");
    // Twitch documents "OAuth <token>" here (not "Bearer"); being strict catches a client that
    // reuses its Helix header for validation.
    if (auth == null || !userTokenValid || !auth.equals("OAuth " + userToken)) {
      return new Answer(401, "{\"status\":401,\"message\":\"invalid access token\"}");
    }
    return new Answer(
        200,
        "{\"client_id\":\""
            + json(clientId)
            + "\",\"login\":\"clipper\",\"scopes\":[\"clips:edit\"],\"user_id\":\"42\","
            + "\"expires_in\":5000}");
  }

  private Answer token(HttpExchange x) throws IOException {
    Map<String, List<String>> form =
        params(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    refreshRequests.incrementAndGet();
    synchronized (this) {
      if ("client_credentials".equals(first(form, "grant_type"))) {
        return appToken(form);
      }
      if (!"refresh_token".equals(first(form, "grant_type"))) {
        return new Answer(400, "{\"status\":400,\"message\":\"unsupported grant type\"}");
      }
      if (!refreshToken.equals(first(form, "refresh_token"))
          || !clientId.equals(first(form, "client_id"))
          || !clientSecret.equals(first(form, "client_secret"))) {
        return new Answer(400, "{\"status\":400,\"message\":\"Invalid refresh token\"}");
      }
      // Both tokens rotate, and the old ones stop working, so a client that keeps using (or
      // persisting) the old refresh token fails in tests instead of in production.
      tokensIssued++;
      userToken = "user-token-" + tokensIssued;
      refreshToken = "refresh-" + tokensIssued;
      userTokenValid = true;
      return new Answer(
          200,
          "{\"access_token\":\""
              + json(userToken)
              + "\",\"refresh_token\":\""
              + json(refreshToken)
              + "\",\"expires_in\":14400,\"scope\":[\"clips:edit\"],\"token_type\":\"bearer\"}");
    }
  }

  private Answer appToken(Map<String, List<String>> form) {
    if (!clientId.equals(first(form, "client_id"))
        || !clientSecret.equals(first(form, "client_secret"))) {
      return new Answer(403, "{\"status\":403,\"message\":\"invalid client secret\"}");
    }
    appTokensIssued++;
    appToken = "app-token-" + appTokensIssued;
    return new Answer(
        200,
        "{\"access_token\":\""
            + json(appToken)
            + "\",\"expires_in\":5000000,\"token_type\":\"bearer\"}");
  }

  /** {@code GET /helix/streams?first=N&after=CURSOR}: pages of the live list, cursor = offset. */
  private Answer streams(HttpExchange x) {
    String auth = x.getRequestHeaders().getFirst("Authorization");
    boolean app = appToken != null && ("Bearer " + appToken).equals(auth);
    boolean user = userTokenValid && ("Bearer " + userToken).equals(auth);
    if ((!app && !user) || !clientId.equals(x.getRequestHeaders().getFirst("Client-Id"))) {
      return error(401, "Invalid OAuth token");
    }
    Map<String, List<String>> q = params(x.getRequestURI().getRawQuery());
    int first = parseInt(first(q, "first"), 20);
    int offset = parseInt(first(q, "after"), 0);
    List<String> all = live;
    // The real list moves while it is read: each page after the first repeats the last entry of
    // the previous one.
    int from = offset > 0 && repeatAcrossPages ? offset - 1 : offset;
    int to = Math.min(all.size(), from + first);
    StringBuilder items = new StringBuilder();
    for (int i = from; i < to; i++) {
      String login = all.get(i);
      if (items.length() > 0) {
        items.append(',');
      }
      items
          .append("{\"id\":\"")
          .append(i + 1)
          .append("\",\"user_id\":\"")
          .append(i + 1)
          .append("\",\"user_login\":\"")
          .append(json(login))
          .append("\",\"user_name\":\"")
          .append(json(login))
          .append("\",\"type\":\"live\",\"viewer_count\":")
          .append(Math.max(1, 100_000 / (i + 1)))
          .append('}');
    }
    String cursor = to < all.size() ? "\"cursor\":\"" + to + "\"" : "";
    return new Answer(200, "{\"data\":[" + items + "],\"pagination\":{" + cursor + "}}");
  }

  private static int parseInt(String s, int fallback) {
    try {
      return s == null ? fallback : Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  /** The live channels, most viewers first. */
  public void setLive(List<String> channels) {
    live = List.copyOf(channels);
  }

  public void setRepeatAcrossPages(boolean repeat) {
    repeatAcrossPages = repeat;
  }

  /** Revokes the app token: the next stream request gets 401. */
  public synchronized void expireAppToken() {
    appToken = null;
  }

  public synchronized int appTokensIssued() {
    return appTokensIssued;
  }

  // ---- Helix ----

  private Answer helix(HttpExchange x) throws IOException {
    x.getRequestBody().readAllBytes();
    if (x.getRequestURI().getPath().equals("/helix/streams")
        && "GET".equals(x.getRequestMethod())) {
      synchronized (this) {
        Answer limited = takeFromBucket(x.getResponseHeaders());
        return limited != null ? limited : streams(x);
      }
    }
    boolean clipsPath = x.getRequestURI().getPath().equals("/helix/clips");
    String method = x.getRequestMethod();
    if (clipsPath && "POST".equals(method)) {
      return create(x);
    }
    if (clipsPath && "GET".equals(method)) {
      getRequests.incrementAndGet();
    }
    synchronized (this) {
      Answer limited = takeFromBucket(x.getResponseHeaders());
      if (limited != null) {
        return limited;
      }
      Answer unauthorized = checkAuth(x.getRequestHeaders());
      if (unauthorized != null) {
        return unauthorized;
      }
      if (!clipsPath || !"GET".equals(method)) {
        return error(404);
      }
      Integer fault = getFaults.poll();
      if (fault != null) {
        return error(fault);
      }
      return lookup(params(x.getRequestURI().getRawQuery()));
    }
  }

  private Answer create(HttpExchange x) {
    Map<String, List<String>> query = params(x.getRequestURI().getRawQuery());
    String broadcasterId = first(query, "broadcaster_id");
    String title = first(query, "title");
    String durationParam = first(query, "duration");
    String auth = x.getRequestHeaders().getFirst("Authorization");
    String token = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : auth;
    long now = System.currentTimeMillis();
    Answer answer;
    Long holdMillis;
    synchronized (this) {
      creates.add(
          new CreateRequest(broadcasterId, title, parseIntOrNull(durationParam), token, now));
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

  private Answer judgeCreate(
      HttpExchange x, String broadcasterId, String title, String durationParam, long now) {
    Answer limited = takeFromBucket(x.getResponseHeaders());
    if (limited != null) {
      return limited;
    }
    Answer unauthorized = checkAuth(x.getRequestHeaders());
    if (unauthorized != null) {
      return unauthorized;
    }
    if (broadcasterId == null || broadcasterId.isEmpty()) {
      return error(400, "Missing required parameter \"broadcaster_id\"");
    }
    Integer duration = parseIntOrNull(durationParam);
    if (durationParam != null && (duration == null || duration < 5 || duration > 60)) {
      return error(400, "The parameter \"duration\" was malformed: the value must be 5-60");
    }
    if (clipCreationRemaining <= 0) {
      return tooManyRequests();
    }
    Integer fault = createFaults.poll();
    if (fault != null && fault == MALFORMED) {
      return new Answer(202, "{data:[");
    }
    if (fault != null) {
      return error(fault);
    }
    if (now < outageUntilMillis) {
      return error(outageStatus);
    }
    if (restricted.contains(broadcasterId)) {
      return error(
          403,
          "The broadcaster has restricted the ability to capture clips to followers and/or"
              + " subscribers only.");
    }
    if (offline.contains(broadcasterId)) {
      return error(404, "Clipping is not possible for an offline channel.");
    }
    clipCreationRemaining--;
    int created = clipsCreated.incrementAndGet();
    if (created == expireUserTokenAtClips) {
      userTokenValid = false;
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
    return new Answer(
        202,
        "{\"data\":[{\"id\":\""
            + id
            + "\",\"edit_url\":\"https://clips.twitch.tv/"
            + id
            + "/edit\"}]}");
  }

  private Answer lookup(Map<String, List<String>> query) {
    List<String> ids = query.getOrDefault("id", List.of());
    String broadcasterId = first(query, "broadcaster_id");
    if (ids.isEmpty() && broadcasterId == null) {
      return error(400, "Missing required parameter \"id\", \"broadcaster_id\" or \"game_id\"");
    }
    long now = System.currentTimeMillis();
    List<String> items = new ArrayList<>();
    for (Clip c : clips.values()) {
      boolean wanted =
          ids.isEmpty() ? c.broadcasterId().equals(broadcasterId) : ids.contains(c.id());
      if (wanted && now >= c.visibleAtMillis() && !neverConfirmed.contains(c.broadcasterId())) {
        items.add(clipJson(c));
      }
    }
    return new Answer(200, "{\"data\":[" + String.join(",", items) + "],\"pagination\":{}}");
  }

  private static String clipJson(Clip c) {
    String createdAt =
        Instant.ofEpochMilli(c.createdAtMillis()).truncatedTo(ChronoUnit.SECONDS).toString();
    return "{\"id\":\""
        + c.id()
        + "\",\"url\":\"https://clips.twitch.tv/"
        + c.id()
        + "\",\"embed_url\":\"https://clips.twitch.tv/embed?clip="
        + c.id()
        + "\",\"broadcaster_id\":\""
        + json(c.broadcasterId())
        + "\",\"broadcaster_name\":\""
        + json(c.broadcasterId())
        + "\",\"creator_id\":\"42\",\"creator_name\":\"clipper\",\"video_id\":\"\","
        + "\"game_id\":\"\",\"language\":\"en\",\"title\":\""
        + json(c.title())
        + "\",\"view_count\":0,\"created_at\":\""
        + createdAt
        + "\",\"thumbnail_url\":\"https://clips-media-assets2.twitch.tv/"
        + c.id()
        + "-preview-480x272.jpg\",\"duration\":"
        + c.duration()
        + ",\"vod_offset\":null,\"is_featured\":false}";
  }

  /**
   * Takes one point from the Helix bucket and sets the rate-limit headers, which Twitch sends on
   * every Helix answer; returns the 429 answer when the bucket was already empty.
   */
  private Answer takeFromBucket(Headers h) {
    long now = System.currentTimeMillis();
    if (now >= rateResetMillis) {
      rateRemaining = rateLimit;
      rateResetMillis = now + rateWindowMillis;
    }
    boolean empty = rateRemaining <= 0;
    if (!empty) {
      rateRemaining--;
    }
    h.set("Ratelimit-Limit", String.valueOf(rateLimit));
    h.set("Ratelimit-Remaining", String.valueOf(rateRemaining));
    h.set("Ratelimit-Reset", String.valueOf((rateResetMillis + 999) / 1000));
    return empty ? tooManyRequests() : null;
  }

  private Answer checkAuth(Headers h) {
    String auth = h.getFirst("Authorization");
    if (auth == null) {
      return error(401, "OAuth token is missing");
    }
    if (!userTokenValid || !auth.equals("Bearer " + userToken)) {
      return error(401, "Invalid OAuth token");
    }
    if (!clientId.equals(h.getFirst("Client-Id"))) {
      return error(401, "Client ID and OAuth token do not match");
    }
    return null;
  }

  private static Answer tooManyRequests() {
    return new Answer(429, "{\"error\":\"Too Many Requests\",\"status\":429,\"message\":\"\"}");
  }

  private static Answer error(int status) {
    return error(status, status == 403 ? "Forbidden" : "");
  }

  private static Answer error(int status, String message) {
    return new Answer(
        status,
        "{\"error\":\""
            + reason(status)
            + "\",\"status\":"
            + status
            + ",\"message\":\""
            + json(message)
            + "\"}");
  }

  private static String reason(int status) {
    switch (status) {
      case 400:
        return "Bad Request";
      case 401:
        return "Unauthorized";
      case 403:
        return "Forbidden";
      case 404:
        return "Not Found";
      case 409:
        return "Conflict";
      case 429:
        return "Too Many Requests";
      case 500:
        return "Internal Server Error";
      case 502:
        return "Bad Gateway";
      case 503:
        return "Service Unavailable";
      default:
        return "Error";
    }
  }

  // ---- plumbing ----

  private record Answer(int status, String body) {}

  private interface Route {
    Answer answer(HttpExchange x) throws IOException;
  }

  /** Sends the route's answer and always closes the exchange, so a bug here fails fast. */
  private static void handle(HttpExchange x, Route route) {
    try (x) {
      Answer a;
      try {
        a = route.answer(x);
      } catch (RuntimeException e) {
        a = error(500, String.valueOf(e));
      }
      if (a == null) {
        return;
      }
      byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
      x.getResponseHeaders().set("Content-Type", "application/json");
      x.sendResponseHeaders(a.status(), bytes.length);
      try (OutputStream out = x.getResponseBody()) {
        out.write(bytes);
      }
    } catch (IOException e) {
      // The client went away (e.g. it timed out on a slow answer): nothing to answer.
    }
  }

  private static Map<String, List<String>> params(String raw) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String kv : raw.split("&")) {
      int eq = kv.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
      out.computeIfAbsent(k, unused -> new ArrayList<>()).add(v);
    }
    return out;
  }

  private static String first(Map<String, List<String>> params, String name) {
    List<String> values = params.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  private static Integer parseIntOrNull(String s) {
    if (s == null) {
      return null;
    }
    try {
      return Integer.valueOf(s.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String json(String s) {
    StringBuilder b = new StringBuilder(s.length() + 8);
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"':
          b.append("\\\"");
          break;
        case '\\':
          b.append("\\\\");
          break;
        case '\n':
          b.append("\\n");
          break;
        case '\r':
          b.append("\\r");
          break;
        case '\t':
          b.append("\\t");
          break;
        default:
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
      }
    }
    return b.toString();
  }
}
