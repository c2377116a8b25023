package dev.streamhighlights.job.detect;

/**
 * A channel's detector state: the newest window counts and where the current run of surges began. A
 * POJO (public fields, no-arg constructor) so Flink's POJO serializer can evolve it when fields are
 * added.
 */
public class DetectorState {

  /** Counts of the newest windows, oldest first; {@code counts[filled - 1]} is the newest. */
  public long[] counts;

  /** How many entries of {@link #counts} are valid. */
  public int filled;

  /** End of the newest window counted (exclusive), event time ms. */
  public long lastWindowEnd;

  /** Start of the first window of the current run of surge windows, or -1 outside a run. */
  public long runStart = -1;

  /** The pending cleanup timer, or 0 when none is registered. */
  public long cleanupTimer;

  public DetectorState() {}

  DetectorState(int capacity) {
    this.counts = new long[capacity];
  }

  /** Forgets the history: the windows before now are unknown. */
  void forget() {
    filled = 0;
    runStart = -1;
  }

  /** Keeps the newest counts in a history of {@code capacity} windows (a changed configuration). */
  void resize(int capacity) {
    if (counts.length == capacity) {
      return;
    }
    int keep = Math.min(filled, capacity);
    long[] resized = new long[capacity];
    System.arraycopy(counts, filled - keep, resized, 0, keep);
    counts = resized;
    filled = keep;
  }

  /** Appends a window's count, forgetting the oldest when full. */
  void push(long count) {
    if (filled == counts.length) {
      System.arraycopy(counts, 1, counts, 0, filled - 1);
      filled--;
    }
    counts[filled++] = count;
  }
}
