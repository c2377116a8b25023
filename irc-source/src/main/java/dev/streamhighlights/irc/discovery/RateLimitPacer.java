package dev.streamhighlights.irc.discovery;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * Keeps one run of Helix requests inside the app's rate-limit bucket (800 points a minute per
 * client id for app tokens) with the headers Twitch sends on every answer: it spends the bucket
 * down to a reserve ({@link #RESERVE_SHARE} of {@code Ratelimit-Limit}, for the app's other calls)
 * and then waits until {@code Ratelimit-Reset}, when the bucket is full again. A 429 (someone else
 * spent the points) is waited out the same way. Not thread-safe: one per listing.
 */
final class RateLimitPacer {

  /** Share of the bucket left for the app's other calls while a listing runs. */
  static final double RESERVE_SHARE = 0.10;

  /** The longest wait for a reset; Twitch's bucket refills within a minute, clocks may differ. */
  static final Duration MAX_WAIT = Duration.ofSeconds(65);

  /** The shortest wait after a 429, in case the reset time is already past on this clock. */
  static final Duration MIN_WAIT_AFTER_429 = Duration.ofMillis(500);

  private int limit = -1;
  private int remaining = -1;
  private long resetMillis = -1;

  private int waits;
  private long waitedMillis;

  /** Waits until the bucket is full again if what is left is down to the reserve. */
  void beforeRequest() throws InterruptedException {
    if (remaining >= 0 && limit > 0 && remaining <= reserve(limit)) {
      sleepUntilReset(0);
      remaining = -1; // unknown until the next answer says
    }
  }

  /** Reads the bucket from an answer's headers (any status). */
  void update(HttpHeaders headers) {
    OptionalLong l = number(headers, "Ratelimit-Limit");
    OptionalLong r = number(headers, "Ratelimit-Remaining");
    OptionalLong reset = number(headers, "Ratelimit-Reset");
    if (l.isPresent() && r.isPresent() && reset.isPresent()) {
      limit = (int) Math.min(Integer.MAX_VALUE, l.getAsLong());
      remaining = (int) Math.min(Integer.MAX_VALUE, r.getAsLong());
      resetMillis = reset.getAsLong() * 1000;
    }
  }

  /** After a 429: waits until the reset the answer named (or a short while without one). */
  void afterTooManyRequests() throws InterruptedException {
    sleepUntilReset(MIN_WAIT_AFTER_429.toMillis());
    remaining = -1;
  }

  /** Points kept back for other calls: at least one, so this run alone never meets a 429. */
  static int reserve(int limit) {
    return Math.max(1, (int) Math.ceil(limit * RESERVE_SHARE));
  }

  int waits() {
    return waits;
  }

  long waitedMillis() {
    return waitedMillis;
  }

  private void sleepUntilReset(long atLeastMillis) throws InterruptedException {
    long until = resetMillis < 0 ? 0 : resetMillis - System.currentTimeMillis();
    long millis = Math.min(MAX_WAIT.toMillis(), Math.max(atLeastMillis, until));
    if (millis > 0) {
      waits++;
      waitedMillis += millis;
      Thread.sleep(millis);
    }
  }

  private static OptionalLong number(HttpHeaders headers, String name) {
    try {
      return headers
          .firstValue(name)
          .map(v -> OptionalLong.of(Long.parseLong(v.trim())))
          .orElse(OptionalLong.empty());
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }
}
