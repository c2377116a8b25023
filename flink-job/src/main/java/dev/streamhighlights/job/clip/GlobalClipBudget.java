package dev.streamhighlights.job.clip;

import java.util.Arrays;
import java.util.Locale;

/**
 * Follows Twitch's clip-creation budget ({@code Ratelimit-Helixclipscreation-Remaining} of {@code
 * -Limit}): while at least {@link #RESERVE} of it is left every highlight may be clipped; below
 * that, only highlights in the top {@code left / (2 x RESERVE)} of the recent scores (all channels
 * of this task): the top half when half is left, the top tenth when a tenth is left, so the last
 * clips go to the best moments; none once it is used up. Twitch does not say when the budget
 * refills, so the bar follows what is left, not a schedule.
 */
final class GlobalClipBudget {

  /** Recent scores kept for the bar. */
  static final int RECENT = 64;

  /**
   * Share of the budget spent freely; below it the bar rises to the best score when none is left.
   */
  static final double RESERVE = 0.5;

  private final double[] scores = new double[RECENT];
  private int size;
  private int next;

  /** Null when a highlight scoring {@code score} may be clipped now, else why not. */
  synchronized String verdict(double score, ClipCreator.Budget budget) {
    scores[next] = score;
    next = (next + 1) % RECENT;
    size = Math.min(size + 1, RECENT);
    if (budget == null || budget.limit() <= 0) {
      return null;
    }
    if (budget.remaining() <= 0) {
      return "Twitch's clip-creation budget is used up";
    }
    double left = (double) budget.remaining() / budget.limit();
    if (left >= RESERVE) {
      return null;
    }
    double q = 1.0 - left / (2 * RESERVE);
    double[] sorted = Arrays.copyOf(scores, size);
    Arrays.sort(sorted);
    double bar = sorted[Math.max(0, Math.min(size - 1, (int) Math.ceil(q * size) - 1))];
    if (score > bar) {
      return null;
    }
    return String.format(
        Locale.ROOT,
        "Twitch's clip-creation budget is low (%d of %d left): score %.3f not above %.3f, the"
            + " recent %.0f%% quantile",
        budget.remaining(),
        budget.limit(),
        score,
        bar,
        q * 100);
  }
}
