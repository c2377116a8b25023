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
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user access token for clip creation: validated at start and every hour ({@code GET
 * /oauth2/validate}, as Twitch requires), refreshed with the refresh token when Twitch refuses it,
 * and kept in the {@link TokenStore} for the next start. One refresh at a time: concurrent 401s
 * share it.
 */
final class UserTokens {

  private static final Logger LOG = LoggerFactory.getLogger(UserTokens.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String CLIPS_EDIT = "clips:edit";

  /** Why tokens are not usable, once it is known; null while they are (or may be) fine. */
  private volatile String unusable;

  private final HttpClient http;
  private final String authBaseUrl;
  private final TokenStore store;
  private final Duration requestTimeout;
  private volatile TwitchCredentials credentials;
  private CompletableFuture<Boolean> refreshing;

  UserTokens(
      HttpClient http,
      String authBaseUrl,
      TwitchCredentials credentials,
      TokenStore store,
      Duration requestTimeout) {
    this.http = http;
    this.authBaseUrl = authBaseUrl;
    this.store = store;
    this.requestTimeout = requestTimeout;
    String[] stored = store.load();
    this.credentials = stored == null ? credentials : credentials.withTokens(stored[0], stored[1]);
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

  /** Validates the token; refreshes it once when Twitch refuses it. Completes with usability. */
  CompletableFuture<Boolean> validate() {
    return validateOnce()
        .thenCompose(
            status -> {
              if (status == 200) {
                return CompletableFuture.completedFuture(unusable == null);
              }
              if (status == 401) {
                return refresh()
                    .thenCompose(
                        ok ->
                            ok
                                ? validateOnce().thenApply(s -> s == 200 && unusable == null)
                                : CompletableFuture.completedFuture(false));
              }
              LOG.warn("Twitch token validation answered HTTP {}; will retry", status);
              return CompletableFuture.completedFuture(unusable == null);
            });
  }

  private CompletableFuture<Integer> validateOnce() {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(authBaseUrl + "/validate"))
            .timeout(requestTimeout)
            .header("Authorization", "OAuth " + credentials.accessToken())
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

  /** Refreshes the access token; concurrent callers share one request. Completes with success. */
  synchronized CompletableFuture<Boolean> refresh() {
    if (refreshing != null && !refreshing.isDone()) {
      return refreshing;
    }
    TwitchCredentials c = credentials;
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
    refreshing =
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
            .thenApply(this::onRefreshAnswer)
            .exceptionally(
                e -> {
                  LOG.warn("Refreshing the Twitch user token failed: {}", e.toString());
                  return false;
                });
    return refreshing;
  }

  private boolean onRefreshAnswer(HttpResponse<String> response) {
    if (response.statusCode() != 200) {
      markUnusable(
          "Twitch refused to refresh the user token (HTTP "
              + response.statusCode()
              + "); give a new user token and refresh token");
      return false;
    }
    try {
      JsonNode body = JSON.readTree(response.body());
      String access = body.path("access_token").asText("");
      String refresh = body.path("refresh_token").asText("");
      if (access.isEmpty() || refresh.isEmpty()) {
        markUnusable("Twitch's token answer has no access_token/refresh_token");
        return false;
      }
      credentials = credentials.withTokens(access, refresh);
      unusable = null;
      try {
        store.save(access, refresh);
      } catch (Exception e) {
        LOG.warn("Could not keep the refreshed Twitch token for the next start: {}", e.toString());
      }
      LOG.info("Twitch user token refreshed");
      return true;
    } catch (Exception e) {
      markUnusable("Twitch's token answer is not JSON");
      return false;
    }
  }

  private void markUnusable(String reason) {
    if (unusable == null) {
      LOG.error(
          "Clips cannot be created: {}. Highlights are stored with clip status 'unauthorized'.",
          reason);
    }
    unusable = reason;
  }
}
