package dev.streamhighlights.job.twitch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user access token for clip creation, one per token in a JVM ({@link SharedUserTokens} hands
 * it to every clip creator there): validated at start and every hour ({@code GET /oauth2/validate},
 * as Twitch requires), refreshed when Twitch refuses it, and kept in the {@link TokenStore} for the
 * next start and for other task managers.
 *
 * <p>Twitch spends a refresh token on first use, so a refused token is refreshed exactly once: a
 * refusal of a token that was already replaced just means "use the new one", concurrent refusals
 * share the request in flight, and a refresh that Twitch refuses looks in the token store for the
 * pair another process refreshed before it gives up.
 */
final class UserTokens implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(UserTokens.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String CLIPS_EDIT = "clips:edit";

  /**
   * After Twitch refused our refresh token, how often and how far apart to look in the store for
   * the pair whoever spent it wrote: that write follows its answer by milliseconds, but a shared
   * file system may show it later.
   */
  static final int STORE_RECHECKS = 4;

  static final long STORE_RECHECK_INTERVAL_MS = 500;

  private final ScheduledExecutorService executor;
  private final HttpClient http;
  private final String authBaseUrl;
  private final TokenStore store;
  private final Duration requestTimeout;

  private volatile TwitchCredentials credentials;

  /** Why tokens are not usable, once it is known; null while they are (or may be) fine. */
  private volatile String unusable;

  /** The pair last read from or written to the store; a different one was written elsewhere. */
  private String[] lastStored; // guarded by this

  private CompletableFuture<Boolean> refreshing; // guarded by this

  UserTokens(
      String authBaseUrl,
      TwitchCredentials credentials,
      TokenStore store,
      Duration requestTimeout) {
    this.authBaseUrl = authBaseUrl;
    this.store = store;
    this.requestTimeout = requestTimeout;
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "twitch-user-token");
              t.setDaemon(true);
              return t;
            });
    this.http = HttpClient.newBuilder().executor(executor).connectTimeout(requestTimeout).build();
    String[] stored = store.load();
    this.lastStored = stored;
    this.credentials = stored == null ? credentials : credentials.withTokens(stored[0], stored[1]);
  }

  /** Validates now and every hour, as Twitch requires of apps using user tokens. */
  void startValidating() {
    executor.scheduleWithFixedDelay(this::validate, 0, 1, TimeUnit.HOURS);
  }

  String clientId() {
    return credentials.clientId();
  }

  String accessToken() {
    return credentials.accessToken();
  }

  /** Why clips cannot be created with these tokens, or null. */
  String unusable() {
    return unusable;
  }

  /** Validates the token; refreshes it when Twitch refuses it. Completes with usability. */
  CompletableFuture<Boolean> validate() {
    String token = accessToken();
    return validateOnce(token)
        .thenCompose(
            status -> {
              if (status == 200) {
                return CompletableFuture.completedFuture(unusable == null);
              }
              if (status == 401) {
                return refresh(token)
                    .thenCompose(
                        ok ->
                            ok
                                ? validateOnce(accessToken())
                                    .thenApply(s -> s == 200 && unusable == null)
                                : CompletableFuture.completedFuture(false));
              }
              LOG.warn("Twitch token validation answered HTTP {}; will retry", status);
              return CompletableFuture.completedFuture(unusable == null);
            });
  }

  private CompletableFuture<Integer> validateOnce(String token) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(authBaseUrl + "/validate"))
            .timeout(requestTimeout)
            .header("Authorization", "OAuth " + token)
            .GET()
            .build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .thenApply(
            response -> {
              if (response.statusCode() == 200) {
                checkScope(response.body());
              }
              return response.statusCode();
            })
        .exceptionally(
            e -> {
              LOG.warn("Twitch token validation failed: {}", e.toString());
              return 0;
            });
  }

  private void checkScope(String body) {
    try {
      JsonNode scopes = JSON.readTree(body).path("scopes");
      boolean clipsEdit = false;
      for (JsonNode s : scopes) {
        clipsEdit |= CLIPS_EDIT.equals(s.asText());
      }
      if (!clipsEdit) {
        markUnusable("the user token lacks the clips:edit scope; create one with that scope");
      }
    } catch (Exception e) {
      LOG.warn("Twitch token validation answer is not JSON");
    }
  }

  /**
   * Replaces the access token Twitch refused. Completes with true when a token other than {@code
   * refused} is there to use: at once when another request already refreshed it or another process
   * stored a new pair, otherwise after the one refresh request every caller shares.
   */
  synchronized CompletableFuture<Boolean> refresh(String refused) {
    if (!refused.equals(credentials.accessToken())) {
      return CompletableFuture.completedFuture(true);
    }
    if (refreshing != null) {
      return refreshing;
    }
    if (takeStored()) {
      return CompletableFuture.completedFuture(true);
    }
    CompletableFuture<Boolean> request = requestRefresh(credentials);
    refreshing = request;
    request.whenComplete((ok, e) -> refreshed(request));
    return request;
  }

  private synchronized void refreshed(CompletableFuture<Boolean> request) {
    if (refreshing == request) {
      refreshing = null;
    }
  }

  private CompletableFuture<Boolean> requestRefresh(TwitchCredentials c) {
    String form =
        "grant_type=refresh_token&refresh_token="
            + URLEncoder.encode(c.refreshToken(), StandardCharsets.UTF_8)
            + "&client_id="
            + URLEncoder.encode(c.clientId(), StandardCharsets.UTF_8)
            + "&client_secret="
            + URLEncoder.encode(c.clientSecret(), StandardCharsets.UTF_8);
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(authBaseUrl + "/token"))
            .timeout(requestTimeout)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .thenCompose(response -> onRefreshAnswer(c.refreshToken(), response))
        .exceptionally(
            e -> {
              LOG.warn("Refreshing the Twitch user token failed: {}", e.toString());
              return false;
            });
  }

  private CompletableFuture<Boolean> onRefreshAnswer(String sent, HttpResponse<String> response) {
    int status = response.statusCode();
    if (status == 200) {
      return CompletableFuture.completedFuture(accept(response.body()));
    }
    if (status >= 500) {
      LOG.warn(
          "Twitch could not refresh the user token now (HTTP {}); the next refusal tries again",
          status);
      return CompletableFuture.completedFuture(false);
    }
    // Usually "Invalid refresh token": spent, perhaps by another task manager sharing the store.
    return takeStoredOrGiveUp(
        sent,
        "Twitch refused to refresh the user token (HTTP "
            + status
            + "); give a new user token and refresh token",
        1);
  }

  private boolean accept(String body) {
    String access;
    String refresh;
    try {
      JsonNode json = JSON.readTree(body);
      access = json.path("access_token").asText("");
      refresh = json.path("refresh_token").asText("");
    } catch (Exception e) {
      markUnusable("Twitch's token answer is not JSON");
      return false;
    }
    if (access.isEmpty() || refresh.isEmpty()) {
      markUnusable("Twitch's token answer has no access_token/refresh_token");
      return false;
    }
    synchronized (this) {
      credentials = credentials.withTokens(access, refresh);
      unusable = null;
      try {
        store.save(access, refresh);
        lastStored = new String[] {access, refresh};
      } catch (Exception e) {
        LOG.warn("Could not keep the refreshed Twitch token for the next start: {}", e.toString());
      }
    }
    LOG.info("Twitch user token refreshed");
    return true;
  }

  private CompletableFuture<Boolean> takeStoredOrGiveUp(String sent, String reason, int check) {
    if (!sent.equals(credentials.refreshToken()) || takeStored()) {
      return CompletableFuture.completedFuture(true);
    }
    if (!store.isSet() || check >= STORE_RECHECKS) {
      markUnusable(reason);
      return CompletableFuture.completedFuture(false);
    }
    CompletableFuture<Boolean> next = new CompletableFuture<>();
    try {
      executor.schedule(
          () ->
              takeStoredOrGiveUp(sent, reason, check + 1)
                  .whenComplete((ok, e) -> next.complete(Boolean.TRUE.equals(ok))),
          STORE_RECHECK_INTERVAL_MS,
          TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      next.complete(false); // closed
    }
    return next;
  }

  /**
   * Takes the pair in the token store when someone else (another task manager, another job) wrote
   * it since this holder last read or wrote the store. Returns whether the access token changed.
   */
  private synchronized boolean takeStored() {
    String[] stored = store.load();
    if (stored == null || Arrays.equals(stored, lastStored)) {
      return false;
    }
    lastStored = stored;
    if (stored[0].equals(credentials.accessToken())) {
      return false;
    }
    credentials = credentials.withTokens(stored[0], stored[1]);
    unusable = null;
    LOG.info("Took the Twitch user token another process refreshed from {}", store);
    return true;
  }

  private void markUnusable(String reason) {
    if (unusable == null) {
      LOG.error(
          "Clips cannot be created: {}. Highlights are stored with clip status 'unauthorized'.",
          reason);
    }
    unusable = reason;
  }

  /** Stops validating; a refresh in flight completes as failed. */
  @Override
  public void close() {
    CompletableFuture<Boolean> inFlight;
    synchronized (this) {
      inFlight = refreshing;
    }
    executor.shutdownNow();
    if (inFlight != null) {
      inFlight.complete(false);
    }
  }
}
