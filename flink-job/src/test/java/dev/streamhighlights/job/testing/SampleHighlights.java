package dev.streamhighlights.job.testing;

import dev.streamhighlights.job.model.Highlight;

/** Highlights with every field set, for tests that pin how a highlight is written. */
public final class SampleHighlights {

  private SampleHighlights() {}

  /**
   * Channel alpha (id 123), window 12:02:00-12:02:10 UTC on 2023-11-14, 40 messages against an
   * average of 2.0, one confirming surge, 60 s clip, default rule; a non-round deviation and score
   * so decimal formatting shows.
   */
  public static Highlight alpha() {
    return new Highlight(
        "alpha",
        "123",
        1_700_000_120_000L,
        1_700_000_130_000L,
        1_700_000_130_000L,
        40,
        2.0,
        1.23456,
        26.870057685088806,
        1,
        60,
        1_700_000_110_000L,
        "default");
  }
}
