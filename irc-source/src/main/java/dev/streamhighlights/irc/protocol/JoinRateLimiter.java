package dev.streamhighlights.irc.protocol;

import java.util.ArrayDeque;

/**
 * Twitch's JOIN limit as a sliding window: at most {@code limit} channel joins in any {@code
 * windowNanos}. Breaking it can lock an account out for 30 minutes, so the source never sends a
 * JOIN this limiter has not granted. Not thread-safe; one scheduler thread owns it.
 */
public final class JoinRateLimiter {

  private final int limit;
  private final long windowNanos;
  private final ArrayDeque<Long> granted = new ArrayDeque<>();

  public JoinRateLimiter(int limit, long windowNanos) {
    if (limit < 1 || windowNanos <= 0) {
      throw new IllegalArgumentException("join limit must be at least 1 per positive window");
    }
    this.limit = limit;
    this.windowNanos = windowNanos;
  }

  /** How many joins may be sent at {@code nowNanos}, up to {@code wanted}; records them as sent. */
  public int acquire(int wanted, long nowNanos) {
    while (!granted.isEmpty() && granted.peekFirst() <= nowNanos - windowNanos) {
      granted.pollFirst();
    }
    int n = Math.min(wanted, limit - granted.size());
    for (int i = 0; i < n; i++) {
      granted.addLast(nowNanos);
    }
    return Math.max(n, 0);
  }
}
