package dev.streamhighlights.irc.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamhighlights.irc.config.Secrets;
import dev.streamhighlights.irc.protocol.IrcCommands;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The top {@code n} live streams by viewers, from Helix {@code GET /helix/streams?first=100}, paged
 * with the cursor. Pages may repeat or skip entries while viewer counts change, so logins are
 * deduplicated and paging goes on until {@code n} distinct channels are found or the list ends.
 * Authenticates with an app access token (client credentials) whose id and secret come from the
 * environment of the JobManager; the token is fetched again when Helix answers 401.
 */
public final class TopStreams implements ChannelDiscovery {

  private static final Logger LOG = LoggerFactory.getLogger(TopStreams.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  /** Enough pages for 10,000 channels with room for repeats; a guard against a cursor loop. */
  private static final int MAX_PAGES = 150;

  private final int n;
  private final String helixBaseUrl;
  private final String authBaseUrl;
  private final String clientIdEnv;
  private final String clientSecretEnv;
  private final Secrets secrets;

  /** Distinct invalid logins logged, at most; the count goes on. */
  private static final int MAX_LOGGED_INVALID = 100;

  private transient HttpClient http;
  private transient String appToken;
  private transient long invalidLogins;
  private transient Set<String> loggedInvalid;

  public TopStreams(
      int n,
      String helixBaseUrl,
      String authBaseUrl,
      String clientIdEnv,
      String clientSecretEnv,
      Secrets secrets) {
    this.n = n;
    this.helixBaseUrl = stripSlash(helixBaseUrl);
    this.authBaseUrl = stripSlash(authBaseUrl);
    this.clientIdEnv = clientIdEnv;
    this.clientSecretEnv = clientSecretEnv;
    this.secrets = secrets;
  }

  /** The one-line error when credentials are missing, or null when both are set. */
  public static String missingCredentials(
      Secrets secrets, String clientIdEnv, String clientSecretEnv) {
    List<String> missing = new ArrayList<>();
    if (isBlank(secrets.get(clientIdEnv))) {
      missing.add(clientIdEnv);
    }
    if (isBlank(secrets.get(clientSecretEnv))) {
      missing.add(clientSecretEnv);
    }
    return missing.isEmpty()
        ? null
        : "reading the top live streams needs a Twitch app's client id and secret in "
            + String.join(" and ", missing)
            + " (not set); without them only a fixed channel list works";
  }

  @Override
  public boolean isPeriodic() {
    return true;
  }

  @Override
  public List<String> discover() throws IOException, InterruptedException {
    String missing = missingCredentials(secrets, clientIdEnv, clientSecretEnv);
    if (missing != null) {
      throw new IllegalStateException(missing);
    }
    if (http == null) {
      http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    }
    Set<String> logins = new LinkedHashSet<>();
    String cursor = null;
    for (int page = 0; page < MAX_PAGES && logins.size() < n; page++) {
      JsonNode body = getStreams(cursor);
      JsonNode data = body.path("data");
      if (!data.isArray() || data.isEmpty()) {
        break;
      }
      for (JsonNode stream : data) {
        String login = stream.path("user_login").asText("").toLowerCase(Locale.ROOT);
        if (!IrcCommands.isValidChannel(login)) {
          skipInvalid(login);
        } else if (logins.size() < n) {
          logins.add(login);
        }
      }
      cursor = body.path("pagination").path("cursor").asText(null);
      if (cursor == null || cursor.isEmpty()) {
        break;
      }
    }
    LOG.info(
        "Top streams: {} channels ({} entries without a valid login skipped since start)",
        logins.size(),
        invalidLogins);
    return List.copyOf(logins);
  }

  /**
   * A login that is not 1-25 of a-z, 0-9 and _ would reach a JOIN line, where the protocol refuses
   * it (and CR, LF, space, comma or '#' would be injection): skipped, counted, logged once.
   */
  private void skipInvalid(String login) {
    invalidLogins++;
    if (loggedInvalid == null) {
      loggedInvalid = new HashSet<>();
    }
    if (loggedInvalid.size() < MAX_LOGGED_INVALID && loggedInvalid.add(login)) {
      LOG.warn(
          "Top streams: skipping '{}', not a Twitch login ({} skipped so far)",
          printable(login),
          invalidLogins);
    }
  }

  /** Entries skipped for an invalid login since this discovery started. */
  public long invalidLogins() {
    return invalidLogins;
  }

  private static String printable(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length() && sb.length() < 60; i++) {
      char c = s.charAt(i);
      sb.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return sb.toString();
  }

  private JsonNode getStreams(String cursor) throws IOException, InterruptedException {
    String url =
        helixBaseUrl
            + "/streams?first=100"
            + (cursor == null ? "" : "&after=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
    for (int attempt = 0; ; attempt++) {
      if (appToken == null) {
        appToken = fetchAppToken();
      }
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(url))
              .timeout(TIMEOUT)
              .header("Client-Id", secrets.get(clientIdEnv))
              .header("Authorization", "Bearer " + appToken)
              .GET()
              .build();
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 401 && attempt == 0) {
        appToken = null; // expired or revoked: fetch a new one once
        continue;
      }
      if (response.statusCode() != 200) {
        throw new IOException("Helix GET /streams answered " + response.statusCode());
      }
      return JSON.readTree(response.body());
    }
  }

  private String fetchAppToken() throws IOException, InterruptedException {
    String form =
        "client_id="
            + URLEncoder.encode(secrets.get(clientIdEnv), StandardCharsets.UTF_8)
            + "&client_secret="
            + URLEncoder.encode(secrets.get(clientSecretEnv), StandardCharsets.UTF_8)
            + "&grant_type=client_credentials";
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(authBaseUrl + "/token"))
            .timeout(TIMEOUT)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(
          "Twitch refused the app credentials in "
              + clientIdEnv
              + "/"
              + clientSecretEnv
              + " (HTTP "
              + response.statusCode()
              + ")");
    }
    String token = JSON.readTree(response.body()).path("access_token").asText("");
    if (token.isEmpty()) {
      throw new IOException("Twitch's token answer has no access_token");
    }
    return token;
  }

  @Override
  public String toString() {
    return "top " + n + " live streams from " + helixBaseUrl;
  }

  private static String stripSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }
}
