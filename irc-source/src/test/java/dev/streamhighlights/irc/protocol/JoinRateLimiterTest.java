package dev.streamhighlights.irc.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JoinRateLimiterTest {

  private static final long SECOND = 1_000_000_000L;

  @Test
  void grantsAtMostTheLimitInAnyWindow() {
    JoinRateLimiter limiter = new JoinRateLimiter(20, 10 * SECOND);
    assertThat(limiter.acquire(15, 0)).isEqualTo(15);
    assertThat(limiter.acquire(15, 5 * SECOND)).isEqualTo(5);
    assertThat(limiter.acquire(15, 9 * SECOND)).isZero();
    // the first 15 leave the window at 10 s, the next 5 at 15 s
    assertThat(limiter.acquire(30, 10 * SECOND)).isEqualTo(15);
    assertThat(limiter.acquire(30, 14 * SECOND)).isZero();
    assertThat(limiter.acquire(30, 15 * SECOND)).isEqualTo(5);
  }

  @Test
  void neverGrantsMoreThanAskedFor() {
    JoinRateLimiter limiter = new JoinRateLimiter(20, 10 * SECOND);
    assertThat(limiter.acquire(3, 0)).isEqualTo(3);
    assertThat(limiter.acquire(0, 0)).isZero();
  }
}
