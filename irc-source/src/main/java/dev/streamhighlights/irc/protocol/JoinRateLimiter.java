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
    int n = Math.min(wanted, available(nowNanos));
    record(n, nowNanos);
    return n;
  }

  /** How many joins the window allows at {@code nowNanos}. */
  public int available(long nowNanos) {
    while (!granted.isEmpty() && granted.peekFirst() <= nowNanos - windowNanos) {
      granted.pollFirst();
    }
    return Math.max(limit - granted.size(), 0);
  }

  /**
   * Records {@code n} joins as sent at {@code sentNanos}. Recording the time after the send (not
   * the time the joins were granted) keeps a delayed send from shortening the next window.
   */
  public void record(int n, long sentNanos) {
    for (int i = 0; i < n; i++) {
      granted.addLast(sentNanos);
    }
  }
}
