package dev.streamhighlights.job.detect;

import java.io.Serializable;

/**
 * Decides from a channel's recent window counts whether the newest window is a surge. Rules are
 * pure functions of the history, so they are unit-tested without Flink.
 */
public interface SurgeRule extends Serializable {

  /** The rule's name as stored with each highlight. */
  String name();

  /** How many windows before the current one the rule needs before it may fire. */
  int windowsNeeded();

  /** How many earlier windows the rule looks at, at most: the detector keeps that many. */
  default int historyWindows() {
    return windowsNeeded();
  }

  /**
   * This rule with a channel's own threshold and fewest count ({@code NaN} and -1 keep this
   * rule's); rules without such settings refuse.
   */
  default SurgeRule tuned(double threshold, int minCount) {
    throw new IllegalArgumentException("the " + name() + " rule cannot be tuned per channel");
  }

  /**
   * Evaluates the current window.
   *
   * @param previous counts of earlier windows, oldest first; {@code previous[size - 1]} is the
   *     window right before the current one
   * @param size how many entries of {@code previous} are valid (at least {@link #windowsNeeded()})
   * @param count the current window's count
   */
  Evaluation evaluate(long[] previous, int size, long count);

  /**
   * Evaluates the current window knowing its peak, the most messages in one second of it (-1: not
   * known). Rules that do not look at the peak ignore it.
   */
  default Evaluation evaluate(long[] previous, int size, long count, int peak) {
    return evaluate(previous, size, count);
  }

  /** The verdict on one window, with the numbers that led to it. */
  record Evaluation(boolean surge, double movingAverage, double derivative, double score) {}
}
