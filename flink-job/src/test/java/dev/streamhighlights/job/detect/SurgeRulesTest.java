package dev.streamhighlights.job.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SurgeRulesTest {

  private static final long[] FLAT_TEN = {10, 10, 10, 10, 10, 10, 10, 10, 10, 10};

  @Test
  void seedRuleAveragesTheLastTenWindowsIncludingTheCurrentOne() {
    SurgeRule.Evaluation e = new SeedRule(10).evaluate(FLAT_TEN, 10, 30);
    // nine previous windows of 10 and the current 30: (90 + 30) / 10
    assertThat(e.movingAverage()).isCloseTo(12.0, within(1e-9));
    assertThat(e.derivative()).isCloseTo(20.0, within(1e-9));
    assertThat(e.surge()).isTrue();
  }

  @Test
  void seedRuleNeedsTheDerivativeStrictlyAboveTheAverage() {
    // previous 9 windows of 10 and a current of 21: average 11.1, derivative 11 -> no surge
    assertThat(new SeedRule(10).evaluate(FLAT_TEN, 10, 21).surge()).isFalse();
    // current 22: average 11.2, derivative 12 -> surge
    assertThat(new SeedRule(10).evaluate(FLAT_TEN, 10, 22).surge()).isTrue();
  }

  @Test
  void seedRuleNeedsNinePreviousWindows() {
    assertThat(new SeedRule(10).windowsNeeded()).isEqualTo(9);
  }

  @Test
  void defaultRuleScoresInUnitsOfHistoryNoisePlusPoissonNoise() {
    VarianceAwareRule rule = new VarianceAwareRule(10, 1.5, 5);
    SurgeRule.Evaluation e = rule.evaluate(FLAT_TEN, 10, 20);
    // flat history: variance 0, Poisson variance = mean = 10 -> noise sqrt(10)
    assertThat(e.movingAverage()).isCloseTo(10.0, within(1e-9));
    assertThat(e.score()).isCloseTo(10 / Math.sqrt(10), within(1e-9));
    assertThat(e.surge()).isTrue();
  }

  @Test
  void defaultRuleNeedsALargerRelativeJumpOnQuietChannels() {
    VarianceAwareRule rule = new VarianceAwareRule(10, 1.5, 1);
    long[] quiet = {2, 2, 2, 2, 2, 2, 2, 2, 2, 2};
    long[] busy = {200, 200, 200, 200, 200, 200, 200, 200, 200, 200};
    // a 50 % rise is noise at 2 messages per window but a surge at 200
    assertThat(rule.evaluate(quiet, 10, 3).surge()).isFalse();
    assertThat(rule.evaluate(busy, 10, 300).surge()).isTrue();
  }

  @Test
  void defaultRuleIgnoresNoisyHistoryWobbles() {
    VarianceAwareRule rule = new VarianceAwareRule(10, 1.5, 5);
    long[] noisy = {0, 20, 0, 20, 0, 20, 0, 20, 0, 20};
    // mean 10, variance 100 + 10: 20 is less than one noise unit above
    assertThat(rule.evaluate(noisy, 10, 20).surge()).isFalse();
    assertThat(rule.evaluate(noisy, 10, 40).surge()).isTrue();
  }

  @Test
  void defaultRuleNeedsTheMinimumCount() {
    VarianceAwareRule rule = new VarianceAwareRule(10, 1.5, 5);
    long[] silent = new long[10];
    assertThat(rule.evaluate(silent, 10, 4).surge()).isFalse();
    assertThat(rule.evaluate(silent, 10, 5).surge()).isTrue();
  }

  @Test
  void rulesUseOnlyTheNewestWindowsOfALongerHistory() {
    long[] history = {1000, 1000, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10};
    SurgeRule.Evaluation e = new VarianceAwareRule(10, 1.5, 5).evaluate(history, 12, 10);
    assertThat(e.movingAverage()).isCloseTo(10.0, within(1e-9));
  }
}
