package dev.streamhighlights.job.window;

/**
 * A window's messages per second of the clock, as an array indexed from the second the window
 * starts in: what the excess rule's {@code min-peak} reads (the most messages in one second: many
 * people at once is a reaction, a conversation is not). Parts counted apart (before a checkpoint
 * barrier, a slice of a backtest) add up exactly, as the counts do.
 */
public final class SecondCounts {

  private SecondCounts() {}

  /** Slots an array needs for any window of {@code windowMillis}. */
  public static int slots(long windowMillis) {
    return (int) (windowMillis / 1000) + 2;
  }

  /** The slot of {@code eventTime} in the window starting at {@code windowStart}. */
  public static int slot(long eventTime, long windowStart) {
    return (int) (Math.floorDiv(eventTime, 1000) - Math.floorDiv(windowStart, 1000));
  }

  /** {@code into} plus {@code from} (either may be null; {@code into} may be reused). */
  public static int[] add(int[] into, int[] from) {
    if (from == null) {
      return into;
    }
    if (into == null || into.length < from.length) {
      int[] grown = new int[from.length];
      if (into != null) {
        System.arraycopy(into, 0, grown, 0, into.length);
      }
      into = grown;
    }
    for (int i = 0; i < from.length; i++) {
      into[i] += from[i];
    }
    return into;
  }

  /**
   * The most messages in one second, or -1 when the seconds do not account for all {@code count}
   * messages (a count restored from before they were kept, or made without them).
   */
  public static int peak(int[] seconds, long count) {
    if (count == 0) {
      return 0;
    }
    if (seconds == null) {
      return -1;
    }
    long sum = 0;
    int peak = 0;
    for (int n : seconds) {
      sum += n;
      peak = Math.max(peak, n);
    }
    return sum == count ? peak : -1;
  }
}
