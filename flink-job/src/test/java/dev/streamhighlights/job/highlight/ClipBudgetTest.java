package dev.streamhighlights.job.highlight;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamhighlights.job.model.ClipStatus;
import dev.streamhighlights.job.model.Highlight;
import dev.streamhighlights.job.model.StoredHighlight;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ClipBudgetTest {

  private static final long MINUTE = 60_000;

  private KeyedOneInputStreamOperatorTestHarness<String, Highlight, Highlight> harness;

  private void open(int clipsPerHour) throws Exception {
    open(new ClipBudget(clipsPerHour));
  }

  private void open(ClipBudget budget) throws Exception {
    harness =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(budget), Highlight::channel, Types.STRING);
    harness.open();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (harness != null) {
      harness.close();
    }
  }

  @Test
  void neverClipsMoreThanTheBudgetInAnyHourAndStoresTheRestOverBudget() throws Exception {
    open(6);
    Random random = new Random(7);
    for (int i = 0; i < 90; i++) { // 30 highlights an hour for three hours
      send("a", (i + 1) * 2 * MINUTE, random.nextDouble());
    }
    List<Long> clipped = new ArrayList<>();
    harness.extractOutputValues().forEach(h -> clipped.add(h.detectedAt()));
    for (long t : clipped) {
      assertThat(clipped.stream().filter(c -> c <= t && t - c < 60 * MINUTE)).hasSizeLessThan(7);
    }
    assertThat(clipped.size()).as("most of the 18 clips of three hours are used").isGreaterThan(12);
    List<StoredHighlight> over = overBudget();
    assertThat(clipped.size() + over.size()).isEqualTo(90);
    assertThat(over)
        .allSatisfy(
            s -> {
              assertThat(s.clip().status()).isEqualTo(ClipStatus.OVER_BUDGET);
              assertThat(s.clip().error()).isNotBlank();
            });
  }

  @Test
  void spendsTheBudgetOnTheChannelsBestScores() throws Exception {
    open(6);
    Random random = new Random(11);
    for (int i = 0; i < 150; i++) { // 30 an hour for five hours
      send("a", (i + 1) * 2 * MINUTE, random.nextDouble());
    }
    double clipped =
        harness.extractOutputValues().stream()
            .mapToDouble(Highlight::score)
            .average()
            .orElseThrow();
    double over =
        overBudget().stream().mapToDouble(s -> s.highlight().score()).average().orElseThrow();
    // A fifth of the highlights can have a clip: chosen online, their scores average well above.
    assertThat(clipped).isGreaterThan(0.7);
    assertThat(over).isLessThan(0.5);
  }

  @Test
  void withAPriorTheFirstHighlightsOfAStreamDoNotSpendTheBudgetJustByComingFirst()
      throws Exception {
    // Prior: 30 highlights an hour, scores spread over 0.1-0.9.
    open(new ClipBudget(3, new ClipBudget.Prior(30, new double[] {0.1, 0.3, 0.5, 0.7, 0.9})));
    send("a", MINUTE, 0.3); // weak for this prior: kept for later
    send("a", 2 * MINUTE, 0.95); // strong: clipped
    assertThat(harness.extractOutputValues()).extracting(Highlight::score).containsExactly(0.95);

    tearDown();
    open(3); // without a prior the first highlight is clipped whatever its score
    send("a", MINUTE, 0.3);
    assertThat(harness.extractOutputValues()).hasSize(1);
  }

  @Test
  void aChannelForgottenAnHourAfterItsLastHighlightGetsTheSameVerdictsWhenEventTimeJumps()
      throws Exception {
    ClipBudget.Prior prior = new ClipBudget.Prior(30, new double[] {0.1, 0.3, 0.5, 0.7, 0.9});
    List<List<String>> verdicts = new ArrayList<>();
    for (boolean timerFirst : new boolean[] {true, false}) {
      open(new ClipBudget(3, prior));
      send("a", MINUTE, 0.95);
      if (timerFirst) {
        harness.processWatermark(MINUTE + ClipBudget.HOUR_MS);
      }
      // Two hours on: a new stream for the budget, whose weak first highlight waits for better.
      send("a", 2 * ClipBudget.HOUR_MS, 0.3);
      List<String> v = new ArrayList<>();
      harness.extractOutputValues().forEach(h -> v.add(h.score() + " clipped"));
      overBudget().forEach(h -> v.add(h.highlight().score() + " over budget"));
      verdicts.add(v);
      tearDown();
      harness = null;
    }
    assertThat(verdicts.get(0)).containsExactly("0.95 clipped", "0.3 over budget");
    assertThat(verdicts.get(1)).isEqualTo(verdicts.get(0));
  }

  @Test
  void aQuietChannelGetsAClipForEveryHighlight() throws Exception {
    open(6);
    for (int i = 0; i < 12; i++) { // 4 an hour
      send("quiet", (i + 1) * 15 * MINUTE, 0.1);
    }
    assertThat(harness.extractOutputValues()).hasSize(12);
    assertThat(overBudget()).isEmpty();
  }

  @Test
  void budgetsEachChannelOnItsOwnAndForgetsAChannelAnHourAfterItsLastHighlight() throws Exception {
    open(1);
    send("a", MINUTE, 0.5);
    send("b", MINUTE, 0.5);
    send("a", 2 * MINUTE, 0.9); // a's one clip of the hour is spent
    assertThat(harness.extractOutputValues())
        .extracting(Highlight::channel)
        .containsExactly("a", "b");
    assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
    harness.processWatermark(2 * MINUTE + ClipBudget.HOUR_MS);
    assertThat(harness.numKeyedStateEntries()).isZero();
  }

  private List<StoredHighlight> overBudget() {
    List<StoredHighlight> out = new ArrayList<>();
    var records = harness.getSideOutput(ClipBudget.OVER_BUDGET);
    if (records != null) {
      records.forEach(r -> out.add(r.getValue()));
    }
    return out;
  }

  private void send(String channel, long detectedAt, double score) throws Exception {
    harness.processElement(
        new StreamRecord<>(
            new Highlight(
                channel,
                channel,
                detectedAt - 10_000,
                detectedAt,
                detectedAt,
                50,
                5,
                45,
                score,
                1,
                60,
                detectedAt - 10_000,
                "excess"),
            detectedAt));
  }
}
