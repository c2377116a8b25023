package dev.streamhighlights.job.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The excess rule's arithmetic with a model of round numbers, and the model files. */
class ExcessRuleTest {

  /** Threshold 2, warm-up 3, score weights 1 (excess), 0 (level), -2 (bias). */
  static final DetectorModel ROUND =
      new DetectorModel(30, 10, 0.7, 2.0, 3.0, 1.0, 0.0, -2.0, 20, List.of(0.25, 0.5, 0.75));

  /** ROUND with quiet channels below a baseline of 5 (threshold 3) and a peak of 3. */
  static final DetectorModel QUIET =
      new DetectorModel(
          30, 10, 0.7, 2.0, 3.0, 1.0, 0.0, -2.0, 20, List.of(0.25, 0.5, 0.75), 5, 3.0, 3);

  @TempDir Path dir;

  private static long[] flat(int n, long count) {
    long[] a = new long[n];
    Arrays.fill(a, count);
    return a;
  }

  @Test
  void measuresTheRiseAboveAFiveMinuteBaselineInNoiseUnitsOfTheBaselineToThePowerPointSeven() {
    ExcessRule rule = new ExcessRule(ROUND);
    // 30 windows of 9, then 9 + 2 x 10^0.7 = 19.02: excess 2.002, just above the threshold
    SurgeRule.Evaluation e = rule.evaluate(flat(30, 9), 30, 20);
    assertThat(e.movingAverage()).isCloseTo(9.0, within(1e-9));
    assertThat(e.surge()).isTrue();
    assertThat(rule.evaluate(flat(30, 9), 30, 19).surge()).as("excess 1.995").isFalse();
    assertThat(e.score())
        .as("1 / (1 + e^-(excess - 2))")
        .isCloseTo(1 / (1 + Math.exp(-((20 - 9) / Math.pow(10, 0.7) - 2))), within(1e-12));
  }

  @Test
  void aShortBaselineNeedsALargerRiseThatShrinksAsTheBaselineFills() {
    ExcessRule rule = new ExcessRule(ROUND);
    // 10 windows (the fewest): the bar is 2 + 3 x 20/30 = 4; with 20 windows 3; with 30, 2.
    long[] history = flat(30, 9);
    long justOverFour = 9 + (long) Math.ceil(4 * Math.pow(10, 0.7));
    assertThat(rule.evaluate(history, 10, justOverFour).surge()).isTrue();
    assertThat(rule.evaluate(history, 10, justOverFour - 1).surge()).isFalse();
    assertThat(rule.evaluate(history, 20, 9 + (long) Math.ceil(3 * Math.pow(10, 0.7))).surge())
        .isTrue();
    assertThat(rule.windowsNeeded()).isEqualTo(10);
    assertThat(rule.historyWindows()).isEqualTo(30);
  }

  @Test
  void theBaselineIsTheNewestThirtyWindowsOnly() {
    long[] history = new long[40];
    Arrays.fill(history, 0, 10, 1000); // older than five minutes: forgotten
    Arrays.fill(history, 10, 40, 4);
    assertThat(new ExcessRule(ROUND).evaluate(history, 40, 30).movingAverage())
        .isCloseTo(4.0, within(1e-9));
  }

  @Test
  void aQuietChannelNeedsTheQuietThresholdAndEveryChannelAPeak() {
    ExcessRule rule = new ExcessRule(QUIET);
    // Baseline 4 (quiet): noise unit 5^0.7 = 3.09, so 14 messages are excess 3.24, 13 are 2.92.
    assertThat(rule.evaluate(flat(30, 4), 30, 14, 3).surge()).isTrue();
    assertThat(rule.evaluate(flat(30, 4), 30, 13, 3).surge())
        .as("excess 2.92: above the threshold 2, below the quiet channels' 3")
        .isFalse();
    // Baseline 5 (not quiet): noise unit 6^0.7 = 3.51, so 13 messages are excess 2.28.
    assertThat(rule.evaluate(flat(30, 5), 30, 13, 3).surge()).isTrue();
    assertThat(rule.evaluate(flat(30, 5), 30, 13, 2).surge())
        .as("never more than 2 messages in one second")
        .isFalse();
    assertThat(rule.evaluate(flat(30, 5), 30, 13, -1).surge())
        .as("a peak not known is not asked for")
        .isTrue();
    assertThat(rule.evaluate(flat(30, 5), 30, 13).surge()).isTrue();
  }

  @Test
  void anotherThresholdMovesTheQuietChannelsThresholdByAsMuch() {
    DetectorModel m = QUIET.withThreshold(2.5);
    assertThat(m.threshold()).isEqualTo(2.5);
    assertThat(m.quietThreshold()).isEqualTo(3.5);
    assertThat(m.quietLevel()).isEqualTo(5);
    assertThat(m.minPeak()).isEqualTo(3);
    assertThat(new ExcessRule(QUIET).tuned(2.5, -1))
        .isInstanceOfSatisfying(
            ExcessRule.class, r -> assertThat(r.model().quietThreshold()).isEqualTo(3.5));
  }

  @Test
  void theScoreRisesWithTheExcessAndIsAProbability() {
    ExcessRule rule = new ExcessRule(DetectorModel.shipped());
    double previous = 0;
    for (long count = 10; count <= 200; count += 10) {
      double score = rule.evaluate(flat(30, 10), 30, count).score();
      assertThat(score).isBetween(0.0, 1.0).isGreaterThan(previous);
      previous = score;
    }
  }

  @Test
  void theShippedModelHasTheStructureTheToolsFit() {
    DetectorModel m = DetectorModel.shipped();
    assertThat(m.baselineWindows()).isEqualTo(30);
    assertThat(m.minWindows()).isEqualTo(10);
    assertThat(m.exponent()).isEqualTo(0.7);
    assertThat(m.weightExcess()).isPositive();
    assertThat(m.priorScores()).hasSize(8).isSorted();
    assertThat(m.quietLevel()).isEqualTo(5);
    assertThat(m.quietThreshold()).isGreaterThan(m.threshold());
    assertThat(m.minPeak()).isGreaterThan(1);
  }

  @Test
  void aModelFileIsReadAndAWrongOneIsRefusedNamingTheProblem() throws Exception {
    Path good = dir.resolve("model.properties");
    Files.writeString(
        good,
        "baseline-windows=30\nmin-windows=10\nexponent=0.7\nthreshold=2\nwarmup=3\n"
            + "weight.excess=1\nweight.level=0\nweight.bias=-2\n"
            + "prior.rate=20\nprior.scores=0.25, 0.5,0.75\n");
    assertThat(DetectorModel.read(good)).isEqualTo(ROUND);

    Path quiet = dir.resolve("quiet.properties");
    Files.writeString(
        quiet, Files.readString(good) + "quiet-level=5\nquiet-threshold=3\nmin-peak=3\n");
    assertThat(DetectorModel.read(quiet)).isEqualTo(QUIET);
    Path noPeak = dir.resolve("no-peak.properties");
    Files.writeString(noPeak, Files.readString(quiet).replace("min-peak=3", "min-peak=0"));
    assertThatThrownBy(() -> DetectorModel.read(noPeak))
        .hasMessageContaining("min-peak must be from 1");

    Path missing = dir.resolve("missing.properties");
    Files.writeString(missing, "baseline-windows=30\n");
    assertThatThrownBy(() -> DetectorModel.read(missing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'min-windows' is missing");
    Path unknown = dir.resolve("unknown.properties");
    Files.writeString(unknown, Files.readString(good) + "treshold=1\n");
    assertThatThrownBy(() -> DetectorModel.read(unknown))
        .hasMessageContaining("unknown keys [treshold]");
    Path bad = dir.resolve("bad.properties");
    Files.writeString(bad, Files.readString(good).replace("exponent=0.7", "exponent=2"));
    assertThatThrownBy(() -> DetectorModel.read(bad)).hasMessageContaining("exponent must be");
  }
}
