package dev.streamhighlights.simulator;

import static dev.streamhighlights.simulator.UrlEncoded.first;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Twitch's token endpoints ({@code GET /oauth2/validate}, {@code POST /oauth2/token} for refresh
 * and client-credentials grants) and the tokens they hand out, which Helix requests must carry.
 */
final class OAuthEndpoints {

  private final String clientId;
  private final String clientSecret;

  // Guarded by "this".
  private String userToken;
  private boolean userTokenValid = true;
  private String refreshToken;
  private int tokensIssued;

  /** App access token of the client-credentials grant (for the stream list); null until issued. */
  private String appToken;

  private int appTokensIssued;

  private final AtomicInteger validateRequests = new AtomicInteger();
  private final AtomicInteger tokenRequests = new AtomicInteger();

  OAuthEndpoints(String clientId, String clientSecret, String userToken, String refreshToken) {
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    this.userToken = userToken;
    this.refreshToken = refreshToken;
  }

  /** Routes {@code /oauth2/...}. */
  HttpAnswer answer(HttpExchange x) throws IOException {
    String path = x.getRequestURI().getPath();
    if (path.equals("/oauth2/validate") && "GET".equals(x.getRequestMethod())) {
      return validate(x);
    }
    if (path.equals("/oauth2/token") && "POST".equals(x.getRequestMethod())) {
      return token(x);
    }
    return new HttpAnswer(404, "{\"status\":404,\"message\":\"Not Found\"}");
  }

  /** Null if the headers carry the valid user token and this client's id, else the 401. */
  synchronized HttpAnswer checkUserToken(Headers h) {
    String auth = h.getFirst("Authorization");
    if (auth == null) {
      return HttpAnswer.error(401, "OAuth token is missing");
    }
    if (!userTokenValid || !auth.equals("Bearer " + userToken)) {
      return HttpAnswer.error(401, "Invalid OAuth token");
    }
    if (!clientId.equals(h.getFirst("Client-Id"))) {
      return HttpAnswer.error(401, "Client ID and OAuth token do not match");
    }
    return null;
  }

  /** Like {@link #checkUserToken}, but an app token will do too, as for the stream list. */
  synchronized HttpAnswer checkAppOrUserToken(Headers h) {
    String auth = h.getFirst("Authorization");
    boolean app = appToken != null && ("Bearer " + appToken).equals(auth);
    boolean user = userTokenValid && ("Bearer " + userToken).equals(auth);
    if ((!app && !user) || !clientId.equals(h.getFirst("Client-Id"))) {
      return HttpAnswer.error(401, "Invalid OAuth token");
    }
    return null;
  }

  synchronized void expireUserToken() {
    userTokenValid = false;
  }

  synchronized String currentUserToken() {
    return userToken;
  }

  synchronized String currentRefreshToken() {
    return refreshToken;
  }

  synchronized void expireAppToken() {
    appToken = null;
  }

  synchronized int appTokensIssued() {
    return appTokensIssued;
  }

  int validateRequests() {
    return validateRequests.get();
  }

  int tokenRequests() {
    return tokenRequests.get();
  }

  private synchronized HttpAnswer validate(HttpExchange x) {
    validateRequests.incrementAndGet();
    String auth = x.getRequestHeaders().getFirst("Authorization");
    // Twitch documents "OAuth <token>" here (not "Bearer"); being strict catches a client that
    // reuses its Helix header for validation.
    if (auth == null || !userTokenValid || !auth.equals("OAuth " + userToken)) {
      return new HttpAnswer(401, "{\"status\":401,\"message\":\"invalid access token\"}");
    }
    return new HttpAnswer(
        200,
        "{\"client_id\":\""
            + Json.escape(clientId)
            + "\",\"login\":\"clipper\",\"scopes\":[\"clips:edit\"],\"user_id\":\"42\","
            + "\"expires_in\":5000}");
  }

  private HttpAnswer token(HttpExchange x) throws IOException {
    Map<String, List<String>> form =
        UrlEncoded.parse(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    tokenRequests.incrementAndGet();
    synchronized (this) {
      String grant = first(form, "grant_type");
      if ("client_credentials".equals(grant)) {
        return appToken(form);
      }
      if (!"refresh_token".equals(grant)) {
        return new HttpAnswer(400, "{\"status\":400,\"message\":\"unsupported grant type\"}");
      }
      return refresh(form);
    }
  }

  /** Guarded by "this". */
  private HttpAnswer refresh(Map<String, List<String>> form) {
    if (!refreshToken.equals(first(form, "refresh_token")) || !isThisClient(form)) {
      return new HttpAnswer(400, "{\"status\":400,\"message\":\"Invalid refresh token\"}");
    }
    // Both tokens rotate, and the old ones stop working, so a client that keeps using (or
    // persisting) the old refresh token fails in tests instead of in production.
    tokensIssued++;
    userToken = "user-token-" + tokensIssued;
    refreshToken = "refresh-" + tokensIssued;
    userTokenValid = true;
    return new HttpAnswer(
        200,
        "{\"access_token\":\""
            + Json.escape(userToken)
            + "\",\"refresh_token\":\""
            + Json.escape(refreshToken)
            + "\",\"expires_in\":14400,\"scope\":[\"clips:edit\"],\"token_type\":\"bearer\"}");
  }

  /** Guarded by "this". */
  private HttpAnswer appToken(Map<String, List<String>> form) {
    if (!isThisClient(form)) {
      return new HttpAnswer(403, "{\"status\":403,\"message\":\"invalid client secret\"}");
    }
    appTokensIssued++;
    appToken = "app-token-" + appTokensIssued;
    return new HttpAnswer(
        200,
        "{\"access_token\":\""
            + Json.escape(appToken)
            + "\",\"expires_in\":5000000,\"token_type\":\"bearer\"}");
  }

  private boolean isThisClient(Map<String, List<String>> form) {
    return clientId.equals(first(form, "client_id"))
        && clientSecret.equals(first(form, "client_secret"));
  }
}
