package dev.streamhighlights.job.model;

/**
 * What became of a highlight's clip request. {@link #wire()} is how a status is stored in MongoDB,
 * published on Kafka, written to backtest files and named in metrics ({@code clips.<status>}):
 * those strings never change.
 */
public enum ClipStatus {
  /** The clip exists on Twitch (confirmed with GET /helix/clips). */
  CREATED("created"),

  /** Clip creation failed for a reason given in the result's {@code error}. */
  FAILED("failed"),

  /** The broadcaster does not allow clips (Helix 403). */
  RESTRICTED("restricted"),

  /** The channel was not live when the clip was requested (Helix 404). */
  CHANNEL_OFFLINE("channel-offline"),

  /** Twitch's rate limit did not let the request through before its deadline. */
  RATE_LIMITED("rate-limited"),

  /** The user token was refused and could not be refreshed. */
  UNAUTHORIZED("unauthorized"),

  /** No Twitch credentials were configured; the highlight is stored without a clip. */
  NO_CREDENTIALS("no-credentials"),

  /** The clip stage gave up waiting. */
  TIMEOUT("timeout"),

  /** Recorded without calling Twitch (backtests, the demo). */
  OFFLINE("offline"),

  /**
   * The moment was over by the time its clip could be requested (a clip covers the stream as it is
   * now): stored, never sent to Twitch.
   */
  STALE("stale"),

  /**
   * An earlier run claimed this clip and stopped before it knew the outcome: a clip may or may not
   * exist, and the request is not repeated.
   */
  INTERRUPTED("interrupted"),

  /**
   * Not clipped to keep within a clip budget: the channel's clips per hour went to higher scores,
   * or Twitch's clip-creation budget ran low and this score was not among the best recent ones.
   */
  OVER_BUDGET("over-budget");

  private final String wire;

  ClipStatus(String wire) {
    this.wire = wire;
  }

  /** The status as written to MongoDB, Kafka and files. */
  public String wire() {
    return wire;
  }

  /** The status written as {@code wire}; a string no status is written as is refused. */
  public static ClipStatus ofWire(String wire) {
    for (ClipStatus s : values()) {
      if (s.wire.equals(wire)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown clip status '" + wire + "'");
  }

  /** The wire string, so log lines and the console show what is stored. */
  @Override
  public String toString() {
    return wire;
  }
}
