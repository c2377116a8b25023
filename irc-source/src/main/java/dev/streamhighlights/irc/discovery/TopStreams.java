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
 * The top {@code n} live streams by viewers, or every live stream ({@link #ALL}), from Helix {@code
 * GET /helix/streams?first=100}, paged with the cursor. Pages may repeat or skip entries while
 * viewer counts change, so logins are deduplicated, and when listing every stream a channel missing
 * from one listing is kept until it is missing from a second (a skip, not yet an end). A listing is
 * either complete or an exception: a page that fails after retries, or a cursor that seems to loop,
 * fails the whole listing, so the caller keeps its previous channels instead of leaving the ones
 * not reached. Requests are paced within Helix's rate limit by {@link RateLimitPacer}.
 * Authenticates with an app access token (client credentials) whose id and secret come from the
 * environment of the JobManager; the token is fetched again when Helix answers 401.
 */
public final class TopStreams implements ChannelDiscovery {

  private static final Logger LOG = LoggerFactory.getLogger(TopStreams.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  /** {@code n} for every live stream. */
  public static final int ALL = Integer.MAX_VALUE;

  /** Twitch's largest page. */
  static final int PAGE_SIZE = 100;

  /**
   * The cursor-loop guard: a listing may take {@code SLACK_PAGES} pages plus {@code
   * PAGES_PER_FULL_PAGE} for every 100 distinct channels found, so it tolerates up to half of the
   * entries repeated, and a cursor that keeps serving known entries stops it in proportion to the
   * list (about 20 pages for 1,000 channels, about 2,000 for 100,000).
   */
  static final int SLACK_PAGES = 20;

  static final int PAGES_PER_FULL_PAGE = 2;

  /** Attempts per page for a 5xx answer or an I/O error, with {@link #RETRY_BACKOFF} doubling. */
  public static final int PAGE_ATTEMPTS = 3;

  static final Duration RETRY_BACKOFF = Duration.ofMillis(500);

  /** 429s in a row for one page (the bucket emptied by others every time) before giving up. */
  static final int MAX_TOO_MANY_REQUESTS = 5;

  /** What the last complete listing took. */
  public record Listing(
      int channels,
      int requests,
      int rateLimited,
      int pacingWaits,
      long waitedMillis,
      long millis) {}

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
  private transient Set<String> seenLast;
  private transient volatile Listing lastListing;

  public TopStreams(
      int n,
      String helixBaseUrl,
      String authBaseUrl,
      String clientIdEnv,
      String clientSecretEnv,
      Secrets secrets) {
    if (n < 1) {
      throw new IllegalArgumentException("top streams: at least 1, not " + n);
    }
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
    long started = System.nanoTime();
    Paging paging = new Paging();
    Set<String> logins = new LinkedHashSet<>();
    String cursor = null;
    while (logins.size() < n) {
      if (paging.requests >= maxPages(logins.size())) {
        throw new IOException(
            "the stream list's cursor seems to loop: "
                + paging.requests
                + " pages gave "
                + logins.size()
                + " channels; listing abandoned");
      }
      JsonNode body = getStreams(cursor, paging);
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
    List<String> result = n == ALL ? withMissedOnce(logins) : List.copyOf(logins);
    long millis = (System.nanoTime() - started) / 1_000_000;
    lastListing =
        new Listing(
            logins.size(),
            paging.requests,
            paging.rateLimited,
            paging.pacer.waits(),
            paging.pacer.waitedMillis(),
            millis);
    LOG.info(
        "Live streams: {} channels listed ({} kept though missing once) in {} requests, {} ms"
            + " ({} ms waiting for the rate limit, {} answered 429); {} entries without a valid"
            + " login skipped since start",
        logins.size(),
        result.size() - logins.size(),
        paging.requests,
        millis,
        paging.pacer.waitedMillis(),
        paging.rateLimited,
        invalidLogins);
    return result;
  }

  /** What the last complete listing took, or null before the first. */
  public Listing lastListing() {
    return lastListing;
  }

  static int maxPages(int found) {
    return SLACK_PAGES + PAGES_PER_FULL_PAGE * ((found + PAGE_SIZE - 1) / PAGE_SIZE);
  }

  /**
   * This listing plus the channels of the previous one that are missing from it: a stream that
   * moved across a page boundary while the list was read is skipped once, and leaving and joining
   * it again would cost two chat commands under the JOIN rate limit. Missing twice means ended.
   */
  private List<String> withMissedOnce(Set<String> listed) {
    Set<String> result = new LinkedHashSet<>(listed);
    if (seenLast != null) {
      result.addAll(seenLast);
    }
    seenLast = listed;
    return List.copyOf(result);
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
          ChannelsFile.printable(login),
          invalidLogins);
    }
  }

  /** Entries skipped for an invalid login since this discovery started. */
  public long invalidLogins() {
    return invalidLogins;
  }

  /** One listing's requests and its pacing. */
  private static final class Paging {
    final RateLimitPacer pacer = new RateLimitPacer();
    int requests;
    int rateLimited;
  }

  private JsonNode getStreams(String cursor, Paging paging)
      throws IOException, InterruptedException {
    String url =
        helixBaseUrl
            + "/streams?first="
            + PAGE_SIZE
            + (cursor == null ? "" : "&after=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
    int refused = 0;
    int failures = 0;
    int limited = 0;
    while (true) {
      paging.pacer.beforeRequest();
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
      paging.requests++;
      HttpResponse<String> response;
      try {
        response = http.send(request, HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        backOff(++failures, e);
        continue;
      }
      paging.pacer.update(response.headers());
      int status = response.statusCode();
      if (status == 200) {
        return JSON.readTree(response.body());
      } else if (status == 401 && refused++ == 0) {
        appToken = null; // expired or revoked: fetch a new one once
      } else if (status == 429 && ++limited <= MAX_TOO_MANY_REQUESTS) {
        paging.rateLimited++;
        paging.pacer.afterTooManyRequests();
      } else if (status >= 500) {
        backOff(++failures, new IOException("Helix GET /streams answered " + status));
      } else {
        throw new IOException("Helix GET /streams answered " + status);
      }
    }
  }

  /** Waits before the next attempt at a page, or throws when it was the last. */
  private static void backOff(int failures, IOException cause)
      throws IOException, InterruptedException {
    if (failures >= PAGE_ATTEMPTS) {
      throw cause;
    }
    Thread.sleep(RETRY_BACKOFF.toMillis() << (failures - 1));
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
    return (n == ALL ? "every live stream" : "top " + n + " live streams")
        + " from "
        + helixBaseUrl;
  }

  private static String stripSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }
}
