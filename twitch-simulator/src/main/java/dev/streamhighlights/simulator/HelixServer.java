package dev.streamhighlights.simulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Twitch's clip endpoints ({@code POST/GET /helix/clips}), the live stream list ({@code GET
 * /helix/streams}) and the token endpoints ({@code GET /oauth2/validate}, {@code POST
 * /oauth2/token}) on 127.0.0.1, as Twitch answers them, with knobs to inject the failures a clip
 * creator has to survive.
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

  private final HttpServer server;
  private final ExecutorService executor;
  private final OAuthEndpoints tokens;
  private final HelixGate gate;
  private final ClipEndpoints clips;
  private final StreamsEndpoint streams;

  private HelixServer(String clientId, String clientSecret, String userToken, String refreshToken)
      throws IOException {
    tokens = new OAuthEndpoints(clientId, clientSecret, userToken, refreshToken);
    gate = new HelixGate(tokens);
    clips = new ClipEndpoints(gate, tokens);
    streams = new StreamsEndpoint(gate);
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
    server.createContext("/oauth2", x -> HttpAnswer.respond(x, tokens::answer));
    server.createContext("/helix", x -> HttpAnswer.respond(x, this::helix));
    server.start();
  }

  /** Binds a free port on 127.0.0.1 and starts answering with these credentials. */
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
  public void setCreationDelay(Duration d) {
    clips.setCreationDelay(d);
  }

  /** The current access token stops working (401 on Helix and validate) until a refresh. */
  public void expireUserToken() {
    tokens.expireUserToken();
  }

  /**
   * The access token stops working right after the {@code n}-th clip is created (counted from the
   * server's start), so the requests that follow it are refused while the job runs.
   */
  public void expireUserTokenAfterClips(int n) {
    clips.expireUserTokenAfterClips(n);
  }

  /** The latest access token, even if {@link #expireUserToken} made it invalid. */
  public String currentUserToken() {
    return tokens.currentUserToken();
  }

  public String currentRefreshToken() {
    return tokens.currentRefreshToken();
  }

  /** Sets the Helix bucket and fills it, with the next refill one window from now. */
  public void setRateLimit(int perWindow, Duration window) {
    gate.setRateLimit(perWindow, window);
  }

  /** Clips that may still be created; each created clip uses one, it never refills. */
  public void setClipCreationLimit(int remaining) {
    clips.setClipCreationLimit(remaining);
  }

  /** The next {@code n} authorized create requests answer {@code status} with a Twitch body. */
  public void failNextCreates(int status, int n) {
    clips.failNextCreates(status, n);
  }

  /** The next {@code n} authorized create requests answer 202 with a body that is not JSON. */
  public void malformedNextCreates(int n) {
    clips.malformedNextCreates(n);
  }

  /**
   * The next {@code n} create requests (whatever they are answered) are held this long before the
   * answer is sent; a clip they create exists from the moment they arrive.
   */
  public void slowNextCreates(Duration delay, int n) {
    clips.slowNextCreates(delay, n);
  }

  /**
   * For {@code duration} from now, every authorized create request (not used up by a {@link
   * #failNextCreates} fault) answers {@code status}: Helix having an outage.
   */
  public void failCreatesFor(int status, Duration duration) {
    clips.failCreatesFor(status, duration);
  }

  /**
   * For {@code duration} from now, every create request is held {@code delay} before its answer
   * (one queued by {@link #slowNextCreates} keeps its own delay): Helix answering slowly.
   */
  public void slowCreatesFor(Duration delay, Duration duration) {
    clips.slowCreatesFor(delay, duration);
  }

  /** Clips of this broadcaster, made before or after this call, never show up in a lookup. */
  public void neverConfirm(String broadcasterId) {
    clips.neverConfirm(broadcasterId);
  }

  /** Creating a clip of this broadcaster always answers 403 (followers/subscribers only). */
  public void restrictBroadcaster(String broadcasterId) {
    clips.restrictBroadcaster(broadcasterId);
  }

  /** Creating a clip of this broadcaster always answers 404 (channel offline). */
  public void offlineBroadcaster(String broadcasterId) {
    clips.offlineBroadcaster(broadcasterId);
  }

  /**
   * The live channels, most viewers first. Each page after the first repeats the last entry of the
   * previous one, as the real list does while it moves.
   */
  public void setLive(List<String> channels) {
    streams.setLive(channels);
  }

  /**
   * {@code n} generated live channels ({@code live000000}, {@code live000001}, ...), most viewers
   * first: a stream list of Twitch's size at peak (about 100,000) for paging tests and benchmarks.
   */
  public void setLive(int n) {
    setLive(generatedLogins(n));
  }

  /** The logins {@link #setLive(int)} uses. */
  public static List<String> generatedLogins(int n) {
    return java.util.stream.IntStream.range(0, n)
        .mapToObj(i -> String.format(java.util.Locale.ROOT, "live%06d", i))
        .toList();
  }

  /**
   * Stream list requests number {@code from} (1 = the next one) to {@code from + count - 1} answer
   * {@code status} (after the rate-limit bucket and the token check).
   */
  public void failStreamRequests(int from, int status, int count) {
    streams.failRequests(from, status, count);
  }

  /**
   * Right after the {@code n}-th stream list request from now, another client of the same app
   * spends every point left in the Helix bucket, so the next request gets 429 until the refill.
   */
  public void drainRateLimitAfterStreamRequests(int n) {
    streams.drainBucketAfter(n);
  }

  /** Revokes the app token: the next stream request gets 401. */
  public void expireAppToken() {
    tokens.expireAppToken();
  }

  // ---- observation ----

  /** Every create request so far, in arrival order, including refused ones. */
  public List<CreateRequest> creates() {
    return clips.creates();
  }

  /** Stream list requests so far, whatever they were answered. */
  public int streamRequests() {
    return streams.requests();
  }

  /** Helix requests answered 429 by the rate-limit bucket since the start. */
  public int rateLimitedRequests() {
    return gate.tooManyRequests();
  }

  /** The fewest rate-limit points left after any admitted Helix request since the start. */
  public int lowestRateLimitRemaining() {
    return gate.lowestRemaining();
  }

  public int getRequests() {
    return clips.getRequests();
  }

  public int validateRequests() {
    return tokens.validateRequests();
  }

  /** Every {@code POST /oauth2/token}, refused ones and app-token grants included. */
  public int refreshRequests() {
    return tokens.tokenRequests();
  }

  /** Create requests answered 202 with a clip id (slow ones count from their arrival). */
  public int clipsCreated() {
    return clips.clipsCreated();
  }

  public int appTokensIssued() {
    return tokens.appTokensIssued();
  }

  @Override
  public void close() {
    server.stop(0);
    // Interrupts held (slow) answers, which stop() does not wait for.
    executor.shutdownNow();
  }

  /** Routes {@code /helix/...}. */
  private HttpAnswer helix(HttpExchange x) throws IOException {
    x.getRequestBody().readAllBytes();
    String path = x.getRequestURI().getPath();
    String method = x.getRequestMethod();
    if (path.equals("/helix/streams") && method.equals("GET")) {
      return streams.list(x);
    }
    if (path.equals("/helix/clips") && method.equals("POST")) {
      return clips.create(x);
    }
    if (path.equals("/helix/clips") && method.equals("GET")) {
      return clips.lookup(x);
    }
    // Twitch spends a point and checks the token before it looks at the path.
    HttpAnswer refused = gate.admit(x);
    return refused != null ? refused : HttpAnswer.error(404);
  }
}
