package dev.streamhighlights.job.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * How the rules behave across channel sizes, on steady chat (Poisson with the rate itself wandering
 * 20 % from window to window, as real chat does) of 5, 50 and 500 messages per 10 s, and on a
 * single window at three times the rate. The default rule's false surges stay within a factor of
 * two across a hundredfold range of sizes and it catches triplings at every size; the 2018 rule
 * compares a difference of counts with their average, so its false surges fall by more than a
 * hundredfold from small to large channels. Prints the rates it measured (surge windows, before the
 * one-clip-per-moment gate and the cooldown).
 */
class ChannelSizeTest {

  private static final int HOURS = 50;
  private static final int WINDOWS_PER_HOUR = 360;

  @Test
  void theDefaultRuleBehavesAlikeAcrossChannelSizesAndTheSeedRuleDoesNot() {
    for (int rate : new int[] {5, 50, 500}) {
      double steady = surgesPerHour(new VarianceAwareRule(10, 1.5, 5), rate, 1.0);
      double tripled = surgeShare(new VarianceAwareRule(10, 1.5, 5), rate, 3.0);
      double seedSteady = surgesPerHour(new SeedRule(10), rate, 1.0);
      double seedTripled = surgeShare(new SeedRule(10), rate, 3.0);
      System.out.printf(
          "%3d msgs/10s: default rule %.1f/h on steady chat, fires on %.0f%% of triplings;"
              + " seed rule %.1f/h, %.0f%%%n",
          rate, steady, tripled * 100, seedSteady, seedTripled * 100);
      assertThat(steady).as("default, steady, %d/10s", rate).isBetween(10.0, 40.0);
      assertThat(tripled).as("default, tripling, %d/10s", rate).isGreaterThan(0.85);
    }
    assertThat(surgesPerHour(new SeedRule(10), 5, 1.0))
        .as("seed rule: false surges on a small channel against a large one")
        .isGreaterThan(100 * surgesPerHour(new SeedRule(10), 500, 1.0));
  }

  /** Surges per hour of steady chat (every window evaluated against the ten before). */
  private static double surgesPerHour(SurgeRule rule, int rate, double factor) {
    Random random = new Random(rate);
    long[] history = new long[10];
    for (int i = 0; i < history.length; i++) {
      history[i] = window(random, rate);
    }
    int surges = 0;
    for (int w = 0; w < HOURS * WINDOWS_PER_HOUR; w++) {
      long count = window(random, rate * factor);
      if (rule.evaluate(history, history.length, count).surge()) {
        surges++;
      }
      System.arraycopy(history, 1, history, 0, history.length - 1);
      history[history.length - 1] = count;
    }
    return surges / (double) HOURS;
  }

  /** Share of single windows at {@code factor} times the rate, after steady history, that fire. */
  private static double surgeShare(SurgeRule rule, int rate, double factor) {
    Random random = new Random(rate * 31L);
    int fired = 0;
    int trials = 2_000;
    long[] history = new long[10];
    for (int t = 0; t < trials; t++) {
      for (int i = 0; i < history.length; i++) {
        history[i] = window(random, rate);
      }
      if (rule.evaluate(history, history.length, window(random, rate * factor)).surge()) {
        fired++;
      }
    }
    return fired / (double) trials;
  }

  /** One window's count: Poisson around a rate that itself varies by 20 % (overdispersion). */
  private static long window(Random random, double rate) {
    double lambda = Math.max(0.1, rate * (1 + 0.2 * random.nextGaussian()));
    if (lambda > 50) {
      return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * random.nextGaussian()));
    }
    double l = Math.exp(-lambda);
    double p = 1;
    long k = 0;
    do {
      k++;
      p *= random.nextDouble();
    } while (p > l);
    return k - 1;
  }
}
