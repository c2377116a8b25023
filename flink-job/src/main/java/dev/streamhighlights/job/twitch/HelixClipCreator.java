package dev.streamhighlights.job.twitch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamhighlights.job.clip.ClipCreator;
import dev.streamhighlights.job.model.ClipResult;
import dev.streamhighlights.job.model.ClipStatus;
import dev.streamhighlights.job.model.Highlight;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates clips through Helix without blocking the caller: {@code POST /helix/clips}, then {@code
 * GET /helix/clips?id=} until the clip exists or {@code confirmWithin} passes. On 401 it gets a new
 * user token from the {@link UserTokens} it shares with the other creators of the same token in
 * this JVM (one refresh, whoever was refused) and retries; waits for the rate-limit reset on 429
 * and whenever {@code Ratelimit-Remaining} (or the clip-creation limit) is used up; retries 5xx
 * answers and network errors with capped exponential backoff until the request deadline. Every path
 * ends in a {@link ClipResult}; nothing completes exceptionally.
 */
public final class HelixClipCreator implements ClipCreator {

  private static final Logger LOG = LoggerFactory.getLogger(HelixClipCreator.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter TITLE_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  /** How long past the confirmation deadline polls blocked by limits or errors may go on. */
  public static final long CONFIRM_GRACE_NANOS = 4_000_000_000L;

  private final HelixSettings settings;
  private final SharedUserTokens.Lease lease;
  private final UserTokens tokens;
  private final HttpClient http;
  private final ExecutorService httpExecutor;
  private final ScheduledExecutorService timer;
  private final RateLimit rateLimit = new RateLimit();

  HelixClipCreator(HelixSettings settings, TwitchCredentials credentials, TokenStore store) {
    this.settings = settings;
    this.httpExecutor = Executors.newFixedThreadPool(2, daemon("helix-http"));
    this.timer = Executors.newSingleThreadScheduledExecutor(daemon("helix-timer"));
    this.http =
        HttpClient.newBuilder()
            .executor(httpExecutor)
            .connectTimeout(settings.requestTimeout())
            .build();
    this.lease = SharedUserTokens.acquire(settings, credentials, store);
    this.tokens = lease.tokens();
  }

  @Override
  public CompletableFuture<ClipResult> create(Highlight highlight) {
    return create(highlight, Long.MAX_VALUE);
  }

  /** As {@link #create(Highlight)}, never sending the request after {@code postBy} (epoch ms). */
  @Override
  public CompletableFuture<ClipResult> create(Highlight highlight, long postBy) {
    long deadline = System.nanoTime() + settings.requestDeadline().toNanos();
    CompletableFuture<ClipResult> result = new CompletableFuture<>();
    attempt(highlight, 0, false, deadline, postBy, result);
    return result;
  }

  private void attempt(
      Highlight h,
      int attempt,
      boolean refreshed,
      long deadline,
      long postBy,
      CompletableFuture<ClipResult> result) {
    long late = System.currentTimeMillis() - postBy;
    if (late > 0) {
      // Retries and rate limits held the request until its moment is no longer in a clip.
      result.complete(
          ClipResult.withoutClip(
              ClipStatus.STALE,
              "the moment left the clip window "
                  + late / 1000
                  + " s before the request could be sent ("
                  + attempt
                  + " attempts)"));
      return;
    }
    String unusable = tokens.unusable();
    if (unusable != null) {
      result.complete(ClipResult.withoutClip(ClipStatus.UNAUTHORIZED, unusable));
      return;
    }
    long wait = rateLimit.waitMillis(System.currentTimeMillis());
    if (wait > 0) {
      if (System.nanoTime() + wait * 1_000_000 > deadline) {
        result.complete(
            ClipResult.withoutClip(
                ClipStatus.RATE_LIMITED, "rate limit resets after the deadline"));
      } else {
        later(wait, () -> attempt(h, attempt, refreshed, deadline, postBy, result));
      }
      return;
    }
    String token = tokens.accessToken();
    http.sendAsync(createRequest(h, token), HttpResponse.BodyHandlers.ofString())
        .whenComplete(
            (response, error) -> {
              try {
                if (error != null && !notSent(error)) {
                  // The request went out and no answer came: Twitch may have made the clip.
                  // Sending it again could make a second public clip of the same moment.
                  result.complete(
                      ClipResult.withoutClip(
                          ClipStatus.FAILED,
                          "no answer to POST /helix/clips ("
                              + cause(error).getClass().getSimpleName()
                              + "); not repeated, since a clip may exist"));
                } else if (error != null) {
                  retryOrFail(
                      h,
                      attempt,
                      refreshed,
                      deadline,
                      postBy,
                      result,
                      cause(error).getClass().getSimpleName());
                } else {
                  onCreateAnswer(h, attempt, refreshed, token, deadline, postBy, result, response);
                }
              } catch (RuntimeException e) {
                result.complete(ClipResult.withoutClip(ClipStatus.FAILED, e.toString()));
              }
            });
  }

  private void onCreateAnswer(
      Highlight h,
      int attempt,
      boolean refreshed,
      String token,
      long deadline,
      long postBy,
      CompletableFuture<ClipResult> result,
      HttpResponse<String> response) {
    rateLimit.update(response, true);
    int status = response.statusCode();
    switch (status) {
      case 200, 202 -> {
        JsonNode clip;
        try {
          clip = JSON.readTree(response.body()).path("data").path(0);
        } catch (Exception e) {
          result.complete(
              ClipResult.withoutClip(ClipStatus.FAILED, "malformed answer from POST /helix/clips"));
          return;
        }
        String id = clip.path("id").asText("");
        if (id.isEmpty()) {
          result.complete(
              ClipResult.withoutClip(
                  ClipStatus.FAILED, "POST /helix/clips answered without a clip id"));
          return;
        }
        String editUrl = clip.path("edit_url").asText(null);
        long confirmBy = System.nanoTime() + settings.confirmWithin().toNanos();
        confirm(id, editUrl, confirmBy, confirmBy + CONFIRM_GRACE_NANOS, result);
      }
      case 401 -> {
        if (refreshed && token.equals(tokens.accessToken())) {
          result.complete(
              ClipResult.withoutClip(
                  ClipStatus.UNAUTHORIZED, "Twitch refused the refreshed token"));
        } else {
          // When another request refreshed the token since this one was sent, this completes at
          // once and the retry uses the new token: no second refresh.
          tokens
              .refresh(token)
              .thenAccept(
                  ok -> {
                    if (ok) {
                      attempt(h, attempt, true, deadline, postBy, result);
                    } else {
                      String why = tokens.unusable();
                      result.complete(
                          ClipResult.withoutClip(
                              ClipStatus.UNAUTHORIZED,
                              why != null
                                  ? why
                                  : "Twitch refused the user token and it could not be refreshed"
                                      + " now"));
                    }
                  });
        }
      }
      case 403 -> result.complete(ClipResult.withoutClip(ClipStatus.RESTRICTED, message(response)));
      case 404 ->
          result.complete(ClipResult.withoutClip(ClipStatus.CHANNEL_OFFLINE, message(response)));
      case 429 -> {
        long wait =
            Math.max(rateLimit.waitMillis(System.currentTimeMillis()), backoffMillis(attempt));
        if (System.nanoTime() + wait * 1_000_000 > deadline) {
          result.complete(
              ClipResult.withoutClip(ClipStatus.RATE_LIMITED, "HTTP 429 until after the deadline"));
        } else {
          later(wait, () -> attempt(h, attempt + 1, refreshed, deadline, postBy, result));
        }
      }
      default -> {
        if (status == 503) {
          // Unavailable: the request was not handled (Twitch answers it for some channels).
          retryOrFail(h, attempt, refreshed, deadline, postBy, result, "HTTP " + status);
        } else if (status >= 500) {
          // A 500, 502 or 504 does not say the clip was not made: sending again could make a
          // second public clip of the moment.
          result.complete(
              ClipResult.withoutClip(
                  ClipStatus.FAILED,
                  "HTTP "
                      + status
                      + " to POST /helix/clips; not repeated, since a clip may exist"));
        } else {
          result.complete(
              ClipResult.withoutClip(
                  ClipStatus.FAILED, "HTTP " + status + ": " + message(response)));
        }
      }
    }
  }

  private void retryOrFail(
      Highlight h,
      int attempt,
      boolean refreshed,
      long deadline,
      long postBy,
      CompletableFuture<ClipResult> result,
      String why) {
    long wait = backoffMillis(attempt);
    if (System.nanoTime() + wait * 1_000_000 > deadline) {
      result.complete(
          ClipResult.withoutClip(ClipStatus.FAILED, why + " after " + (attempt + 1) + " attempts"));
    } else {
      later(wait, () -> attempt(h, attempt + 1, refreshed, deadline, postBy, result));
    }
  }

  /**
   * Looks for the clip until it exists. "Not there" answers count against {@code confirmBy}; polls
   * that could not look (rate limit, 5xx, network, a refused token) do not, but all end at {@code
   * hardDeadline}, a few seconds later, so the answer still comes before the async operator's
   * timeout.
   */
  private void confirm(
      String id,
      String editUrl,
      long confirmBy,
      long hardDeadline,
      CompletableFuture<ClipResult> result) {
    long wait = rateLimit.waitMillis(System.currentTimeMillis());
    if (wait > 0) {
      if (System.nanoTime() + wait * 1_000_000 > hardDeadline) {
        result.complete(notConfirmed(id, editUrl, "rate limit held the confirmation"));
      } else {
        later(wait, () -> confirm(id, editUrl, confirmBy, hardDeadline, result));
      }
      return;
    }
    String token = tokens.accessToken();
    HttpRequest request =
        authorized(URI.create(settings.helixBaseUrl() + "/clips?id=" + encode(id)), token)
            .GET()
            .build();
    http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .whenComplete(
            (response, error) -> {
              boolean looked = false;
              String url = null;
              if (error == null) {
                rateLimit.update(response, false);
                if (response.statusCode() == 200) {
                  try {
                    url =
                        JSON.readTree(response.body())
                            .path("data")
                            .path(0)
                            .path("url")
                            .asText(null);
                    looked = true;
                  } catch (Exception e) {
                    url = null; // an unreadable answer: look again
                  }
                } else if (response.statusCode() == 401) {
                  tokens.refresh(token); // the next look uses the new token
                }
              }
              long next = System.nanoTime() + settings.pollInterval().toNanos();
              if (url != null) {
                result.complete(new ClipResult(ClipStatus.CREATED, id, url, editUrl, null));
              } else if ((looked && next > confirmBy) || next > hardDeadline) {
                result.complete(
                    notConfirmed(
                        id,
                        editUrl,
                        "clip not confirmed within "
                            + settings.confirmWithin().toSeconds()
                            + " s"));
              } else {
                later(
                    settings.pollInterval().toMillis(),
                    () -> confirm(id, editUrl, confirmBy, hardDeadline, result));
              }
            });
  }

  /** Whether a failed request certainly never reached Twitch (so sending it again is safe). */
  static boolean notSent(Throwable error) {
    Throwable c = cause(error);
    return c instanceof java.net.ConnectException
        || c instanceof java.net.http.HttpConnectTimeoutException
        || c instanceof java.nio.channels.UnresolvedAddressException
        || c instanceof java.net.UnknownHostException;
  }

  private static Throwable cause(Throwable error) {
    Throwable c = error;
    while ((c instanceof java.util.concurrent.CompletionException
            || c instanceof java.util.concurrent.ExecutionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }

  private static ClipResult notConfirmed(String id, String editUrl, String why) {
    return new ClipResult(ClipStatus.FAILED, id, null, editUrl, why);
  }

  private HttpRequest createRequest(Highlight h, String token) {
    String title =
        (h.channel() + " highlight " + TITLE_TIME.format(Instant.ofEpochMilli(h.detectedAt())));
    if (title.length() > 140) {
      title = title.substring(0, 140);
    }
    URI uri =
        URI.create(
            settings.helixBaseUrl()
                + "/clips?broadcaster_id="
                + encode(h.channelId())
                + "&title="
                + encode(title)
                + "&duration="
                + settings.clipSeconds());
    return authorized(uri, token).POST(HttpRequest.BodyPublishers.noBody()).build();
  }

  private HttpRequest.Builder authorized(URI uri, String token) {
    return HttpRequest.newBuilder(uri)
        .timeout(settings.requestTimeout())
        .header("Client-Id", tokens.clientId())
        .header("Authorization", "Bearer " + token);
  }

  private long backoffMillis(int attempt) {
    return Math.min(500L << Math.min(attempt, 16), settings.maxBackoff().toMillis());
  }

  private void later(long millis, Runnable r) {
    try {
      timer.schedule(r, millis, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      LOG.debug("Clip creator closed; dropping a retry");
    }
  }

  private static String message(HttpResponse<String> response) {
    try {
      String m = JSON.readTree(response.body()).path("message").asText("");
      return m.isEmpty() ? "HTTP " + response.statusCode() : m;
    } catch (Exception e) {
      return "HTTP " + response.statusCode();
    }
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Override
  public Budget clipCreationBudget() {
    long limit = rateLimit.clipCreationLimit;
    return limit > 0 ? new Budget(rateLimit.clipCreationRemaining, limit) : null;
  }

  @Override
  public void registerMetrics(org.apache.flink.metrics.MetricGroup group) {
    group.gauge("helixRateLimitRemaining", () -> rateLimit.remaining);
    group.gauge("helixClipCreationRemaining", () -> rateLimit.clipCreationRemaining);
  }

  @Override
  public void close() {
    timer.shutdownNow();
    httpExecutor.shutdownNow();
    lease.close();
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * What Twitch's rate-limit headers said last: the general Helix bucket ({@code Ratelimit-*}) and
   * the clip-creation limit ({@code Ratelimit-Helixclipscreation-*}).
   */
  static final class RateLimit {
    private volatile long blockedUntilMillis;

    /** The budgets Twitch reported last (-1 until known), for the metrics. */
    volatile long remaining = -1;

    volatile long clipCreationRemaining = -1;

    volatile long clipCreationLimit = -1;

    void update(HttpResponse<?> response, boolean clipCreation) {
      long reset = header(response, "Ratelimit-Reset") * 1000;
      long left = header(response, "Ratelimit-Remaining");
      if (left >= 0) {
        remaining = left;
      }
      boolean empty = left == 0;
      long clipsLeft = header(response, "Ratelimit-Helixclipscreation-Remaining");
      if (clipCreation && clipsLeft >= 0) {
        clipCreationRemaining = clipsLeft;
        clipCreationLimit = header(response, "Ratelimit-Helixclipscreation-Limit");
      }
      if (clipCreation && clipsLeft == 0) {
        empty = true;
      }
      if ((empty || response.statusCode() == 429) && reset > 0) {
        blockedUntilMillis = Math.max(blockedUntilMillis, reset);
      }
    }

    long waitMillis(long nowMillis) {
      return Math.max(0, blockedUntilMillis - nowMillis);
    }

    private static long header(HttpResponse<?> response, String name) {
      return response
          .headers()
          .firstValue(name)
          .map(
              v -> {
                try {
                  return Long.parseLong(v.trim());
                } catch (NumberFormatException e) {
                  return -1L;
                }
              })
          .orElse(-1L);
    }
  }
}
