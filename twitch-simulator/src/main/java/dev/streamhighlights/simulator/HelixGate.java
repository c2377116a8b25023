package dev.streamhighlights.simulator;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.time.Duration;

/**
 * What every Helix request passes before an endpoint sees it: one point from the rate-limit bucket
 * (429 when empty), then the token check (401). Refused requests use up nothing else.
 */
final class HelixGate {

  private final OAuthEndpoints tokens;

  // Guarded by "this".
  private int rateLimit = 800;
  private long rateWindowMillis = 60_000;
  private int rateRemaining = 800;
  private long rateResetMillis = System.currentTimeMillis() + rateWindowMillis;
  private int tooManyRequests;
  private int lowestRemaining = Integer.MAX_VALUE;

  HelixGate(OAuthEndpoints tokens) {
    this.tokens = tokens;
  }

  /** Sets the bucket and fills it, with the next refill one window from now. */
  synchronized void setRateLimit(int perWindow, Duration window) {
    rateLimit = perWindow;
    rateRemaining = perWindow;
    rateWindowMillis = window.toMillis();
    rateResetMillis = System.currentTimeMillis() + rateWindowMillis;
    lowestRemaining = Integer.MAX_VALUE;
  }

  /** Another client of the same app spends every point left until the next refill. */
  synchronized void drain() {
    rateRemaining = 0;
  }

  /** Requests answered 429 by the bucket since the start. */
  synchronized int tooManyRequests() {
    return tooManyRequests;
  }

  /** The fewest points left after any admitted request since the start (the limit before any). */
  synchronized int lowestRemaining() {
    return Math.min(lowestRemaining, rateLimit);
  }

  /** Null if the request may go on with the user token; else the answer that refuses it. */
  HttpAnswer admit(HttpExchange x) {
    HttpAnswer limited = takeFromBucket(x.getResponseHeaders());
    return limited != null ? limited : tokens.checkUserToken(x.getRequestHeaders());
  }

  /** Like {@link #admit}, for endpoints that also take an app token. */
  HttpAnswer admitAppOrUser(HttpExchange x) {
    HttpAnswer limited = takeFromBucket(x.getResponseHeaders());
    return limited != null ? limited : tokens.checkAppOrUserToken(x.getRequestHeaders());
  }

  /**
   * Takes one point and sets the rate-limit headers, which Twitch sends on every Helix answer;
   * returns the 429 when the bucket was already empty.
   */
  private synchronized HttpAnswer takeFromBucket(Headers h) {
    long now = System.currentTimeMillis();
    if (now >= rateResetMillis) {
      rateRemaining = rateLimit;
      rateResetMillis = now + rateWindowMillis;
    }
    boolean empty = rateRemaining <= 0;
    if (!empty) {
      rateRemaining--;
      lowestRemaining = Math.min(lowestRemaining, rateRemaining);
    } else {
      tooManyRequests++;
    }
    h.set("Ratelimit-Limit", String.valueOf(rateLimit));
    h.set("Ratelimit-Remaining", String.valueOf(rateRemaining));
    h.set("Ratelimit-Reset", String.valueOf((rateResetMillis + 999) / 1000));
    return empty ? HttpAnswer.tooManyRequests() : null;
  }
}
