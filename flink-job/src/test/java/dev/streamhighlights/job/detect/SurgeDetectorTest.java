package dev.streamhighlights.job.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.streamhighlights.job.model.ChannelActivity;
import dev.streamhighlights.job.model.Surge;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SurgeDetectorTest {

  private static final long WINDOW = 10_000;
  private static final long RETENTION = 30 * 60_000;

  private KeyedOneInputStreamOperatorTestHarness<String, ChannelActivity, Surge> harness;

  @BeforeEach
  void setUp() throws Exception {
    harness = newHarness();
    harness.open();
  }

  @AfterEach
  void tearDown() throws Exception {
    harness.close();
  }

  @Test
  void staysSilentUntilTenWindowsOfHistoryExist() throws Exception {
    windows("a", 0, 9, 2); // windows 0..8: nine windows of history
    window("a", 9, 50);
    assertThat(harness.extractOutputValues()).isEmpty();

    windows("b", 0, 10, 2);
    window("b", 10, 50);
    assertThat(harness.extractOutputValues()).extracting(Surge::channel).containsExactly("b");
  }

  @Test
  void countsWindowsWithoutMessagesAsZero() throws Exception {
    windows("a", 0, 10, 10);
    // windows 10..14 had no messages, so no activity; the next one sees five zeros in its history
    harness.processWatermark(15 * WINDOW);
    window("a", 15, 14);

    List<Surge> out = harness.extractOutputValues();
    assertThat(out).hasSize(1);
    assertThat(out.get(0).movingAverage()).isCloseTo(5.0, within(1e-9));
    assertThat(out.get(0).windowStart()).isEqualTo(15 * WINDOW);
  }

  @Test
  void emitsEveryWindowOfARunWithTheRunsStart() throws Exception {
    windows("a", 0, 10, 2);
    window("a", 10, 40);
    window("a", 11, 60);
    window("a", 12, 1);
    window("a", 13, 200);

    assertThat(harness.extractOutputValues())
        .extracting(Surge::windowStart, Surge::runStart)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(10 * WINDOW, 10 * WINDOW),
            org.assertj.core.groups.Tuple.tuple(11 * WINDOW, 10 * WINDOW),
            org.assertj.core.groups.Tuple.tuple(13 * WINDOW, 13 * WINDOW));
  }

  @Test
  void keepsOneCleanupTimerPerChannel() throws Exception {
    windows("a", 0, 30, 3);
    windows("b", 0, 30, 3);
    assertThat(harness.numEventTimeTimers()).isEqualTo(2);
    assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
  }

  @Test
  void dropsTheStateOfAChannelQuietForTheRetentionTime() throws Exception {
    windows("a", 0, 12, 3);
    long lastEnd = 12 * WINDOW;

    harness.processWatermark(lastEnd + RETENTION - 1);
    assertThat(harness.numKeyedStateEntries()).isEqualTo(1);

    harness.processWatermark(lastEnd + RETENTION);
    assertThat(harness.numKeyedStateEntries()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();

    // A channel that comes back starts over: no alert without a fresh history.
    window("a", 400, 500);
    assertThat(harness.extractOutputValues()).isEmpty();
  }

  @Test
  void aChannelBackAfterTheRetentionStartsOverAlsoWhenEventTimeJumpedPastItsTimer()
      throws Exception {
    windows("a", 0, 12, 3);
    // No watermark between: a backlog or a replay closes the late window in the same step that
    // passes the cleanup timer, and the window may come first.
    window("a", 400, 500);
    assertThat(harness.extractOutputValues()).as("no history: no surge").isEmpty();
    harness.processWatermark(401 * WINDOW);
    assertThat(harness.numKeyedStateEntries()).as("the new state kept").isEqualTo(1);
  }

  @Test
  void lateChatIsAddedToItsWindowInTheHistory() throws Exception {
    windows("a", 0, 10, 100);
    window("a", 10, 90); // ten of window 10's messages were late: 100 in all
    late("a", 10, 10);
    window("a", 11, 1_000);
    // The moving average of the surge counts the late messages: 100 over ten windows.
    assertThat(harness.extractOutputValues())
        .singleElement()
        .satisfies(s -> assertThat(s.movingAverage()).isCloseTo(100.0, within(1e-9)));
  }

  @Test
  void muchOfAWindowLateStartsTheHistoryOverSoTheNextCompleteWindowIsNoSurge() throws Exception {
    windows("a", 0, 10, 100);
    window("a", 10, 10); // the job fell behind: most of window 10 came late
    late("a", 10, 90);
    window("a", 11, 100);
    assertThat(harness.extractOutputValues()).isEmpty();
    windows("a", 12, 20, 100);
    assertThat(harness.extractOutputValues()).as("not before a full history").isEmpty();
  }

  @Test
  void aWindowThatCameAllLateStartsTheHistoryOver() throws Exception {
    windows("a", 0, 10, 100);
    late("a", 10, 100); // nothing of window 10 was on time
    window("a", 11, 300);
    assertThat(harness.extractOutputValues()).isEmpty();
  }

  @Test
  void lateChatIsNeverASurgeOfItsOwn() throws Exception {
    windows("a", 0, 10, 5);
    late("a", 9, 5_000);
    late("b", 3, 5_000);
    assertThat(harness.extractOutputValues()).isEmpty();
    assertThat(harness.numKeyedStateEntries()).as("no state for late chat alone").isEqualTo(1);
  }

  @Test
  void keepsTheStateOfAnActiveChannelWhenItsTimerFires() throws Exception {
    windows("a", 0, 200, 3); // 2000 s of activity, longer than the 1800 s retention
    harness.processWatermark(200 * WINDOW);
    assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
    assertThat(harness.numEventTimeTimers()).isEqualTo(1);
  }

  @Test
  void historyAndRunsSurviveASnapshotAndRestore() throws Exception {
    windows("a", 0, 10, 2);
    window("a", 10, 40);
    OperatorSubtaskState snapshot = harness.snapshot(1, 1);
    harness.close();

    harness = newHarness();
    harness.initializeState(snapshot);
    harness.open();
    window("a", 11, 60);

    assertThat(harness.extractOutputValues())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.runStart()).isEqualTo(10 * WINDOW);
              assertThat(s.movingAverage()).isCloseTo(5.8, within(1e-9)); // (9 x 2 + 40) / 10
            });
    assertThat(harness.numEventTimeTimers()).isEqualTo(1);
  }

  @Test
  void aTunedChannelUsesItsOwnThresholdAndTheOthersTheGlobalOne() throws Exception {
    harness.close();
    SurgeDetector detector =
        new SurgeDetector(
            new VarianceAwareRule(10, 1.5, 5),
            java.util.Map.of("spammy", new VarianceAwareRule(10, 6.0, 5)),
            WINDOW,
            10,
            RETENTION);
    harness =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(detector), ChannelActivity::channel, Types.STRING);
    harness.open();
    for (String channel : List.of("spammy", "normal")) {
      windows(channel, 0, 10, 10);
      window(channel, 10, 25); // score 15 / sqrt(10) = 4.7: above 1.5, below 6
      window(channel, 11, 60); // score (60 - 11.5) / sqrt(20.25 + 11.5) = 8.6: above both
    }
    assertThat(harness.extractOutputValues())
        .extracting(x -> x.channel() + "@" + x.windowStart() / WINDOW)
        .containsExactly("spammy@11", "normal@10", "normal@11");
  }

  @Test
  void aGapWeDidNotWatchIsNotQuiet() throws Exception {
    // Steady chat, then 15 windows unwatched (the job was down), then watched again: the same
    // steady chat. Counted as zeros, the gap would make every window after it a surge.
    windows("down", 0, 10, 20);
    watchStart("down", 25, 7);
    windows("down", 26, 40, 20);
    // The same without the marker: the gap is taken as quiet, and steady chat "surges".
    windows("quiet", 0, 10, 20);
    windows("quiet", 25, 40, 20);

    assertThat(harness.extractOutputValues())
        .extracting(Surge::channel)
        .contains("quiet")
        .doesNotContain("down");
  }

  @Test
  void firesAgainOnlyOnceAFullHistoryWasWatchedAfterTheGap() throws Exception {
    windows("a", 0, 10, 20);
    watchStart("a", 25, 3);
    windows("a", 26, 35, 20); // nine watched windows: not yet a full history
    window("a", 35, 80);
    assertThat(harness.extractOutputValues()).isEmpty();

    windows("a", 36, 46, 20);
    window("a", 46, 80);
    assertThat(harness.extractOutputValues())
        .extracting(x -> x.windowStart() / WINDOW)
        .containsExactly(46L);
  }

  @Test
  void theDefaultRuleAlsoTakesAGapWeDidNotWatchAsUnknownAndRebuildsItsBaseline() throws Exception {
    useTheShippedExcessRule();
    // Five minutes of steady chat, five minutes unwatched, then the same steady chat and a surge
    // in the fifth window after the rejoin, while the rebuilt baseline is still short.
    windows("down", 0, 30, 20);
    watchStart("down", 60, 7);
    windows("down", 61, 65, 20);
    window("down", 65, 45);
    windows("down", 66, 75, 20);
    // The same without the marker: the gap is taken as quiet, and steady chat "surges".
    windows("quiet", 0, 30, 20);
    windows("quiet", 60, 75, 20);
    assertThat(harness.extractOutputValues())
        .extracting(Surge::channel)
        .contains("quiet")
        .doesNotContain("down");

    // Once enough windows were watched after the rejoin, a surge counts again.
    window("down", 75, 80);
    assertThat(harness.extractOutputValues())
        .filteredOn(x -> x.channel().equals("down"))
        .extracting(x -> x.windowStart() / WINDOW)
        .containsExactly(75L);
  }

  @Test
  void theDefaultRuleHearsASurgeOnlyWhenManySpeakAtOnce() throws Exception {
    useTheShippedExcessRule();
    int peak = DetectorModel.shipped().minPeak();
    for (String channel : List.of("crowd", "chatter", "unknown")) {
      windows(channel, 0, 30, 10);
    }
    // The same rise: in one a crowd at once, in another never more than peak - 1 in a second.
    window("crowd", 30, 40, peak);
    window("chatter", 30, 40, peak - 1);
    window("unknown", 30, 40, -1); // counted without seconds (restored from before)
    assertThat(harness.extractOutputValues())
        .extracting(Surge::channel)
        .containsExactlyInAnyOrder("crowd", "unknown");
  }

  @Test
  void restoredStateFollowsTheConfiguredHistoryLength() throws Exception {
    windows("a", 0, 10, 20);
    OperatorSubtaskState snapshot = harness.snapshot(1, 10 * WINDOW);
    harness.close();

    SurgeDetector longer =
        new SurgeDetector(new VarianceAwareRule(18, 1.5, 5), WINDOW, 18, RETENTION);
    harness =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(longer), ChannelActivity::channel, Types.STRING);
    harness.initializeState(snapshot);
    harness.open();
    windows("a", 10, 18, 20); // 18 windows of history in all
    window("a", 18, 80);

    assertThat(harness.extractOutputValues())
        .extracting(x -> x.windowStart() / WINDOW)
        .containsExactly(18L);
    assertThat(harness.extractOutputValues().get(0).movingAverage()).isCloseTo(20.0, within(1e-9));
  }

  @Test
  void keepsTheLongerHistoryTheExcessRuleNeedsAlsoForStateOfAShorterOne() throws Exception {
    windows("a", 0, 10, 20); // state of a detector that kept 10 windows
    OperatorSubtaskState snapshot = harness.snapshot(1, 10 * WINDOW);
    harness.close();

    SurgeDetector excess =
        new SurgeDetector(new ExcessRule(ExcessRuleTest.ROUND), WINDOW, 10, RETENTION);
    harness =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(excess), ChannelActivity::channel, Types.STRING);
    harness.initializeState(snapshot);
    harness.open();
    windows("a", 10, 30, 20);
    window("a", 30, 20 + 21); // excess 21 / 21^0.7 = 2.5 over a full baseline: above 2

    assertThat(harness.extractOutputValues())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.windowStart()).isEqualTo(30 * WINDOW);
              assertThat(s.movingAverage()).as("30 windows of 20").isCloseTo(20.0, within(1e-9));
              assertThat(s.rule()).isEqualTo("excess");
            });
  }

  /** Replaces the harness by one whose detector has the shipped excess rule. */
  private void useTheShippedExcessRule() throws Exception {
    harness.close();
    SurgeDetector excess =
        new SurgeDetector(new ExcessRule(DetectorModel.shipped()), WINDOW, 10, RETENTION);
    harness =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(excess), ChannelActivity::channel, Types.STRING);
    harness.open();
  }

  private static KeyedOneInputStreamOperatorTestHarness<String, ChannelActivity, Surge> newHarness()
      throws Exception {
    SurgeDetector detector =
        new SurgeDetector(new VarianceAwareRule(10, 1.5, 5), WINDOW, 10, RETENTION);
    return new KeyedOneInputStreamOperatorTestHarness<>(
        new KeyedProcessOperator<>(detector), ChannelActivity::channel, Types.STRING);
  }

  /** Windows {@code from} (inclusive) to {@code to} (exclusive), each with {@code count}. */
  private void windows(String channel, int from, int to, long count) throws Exception {
    for (int w = from; w < to; w++) {
      window(channel, w, count);
    }
  }

  /** Messages of a window that had closed when they came. */
  private void late(String channel, int index, long count) throws Exception {
    long start = index * WINDOW;
    harness.processElement(
        new StreamRecord<>(
            new ChannelActivity(
                channel, channel + "-id", start, start + WINDOW, count, false, true),
            start + WINDOW - 2));
  }

  /** A window in which the source (re)started watching the channel. */
  private void watchStart(String channel, int index, long count) throws Exception {
    long start = index * WINDOW;
    harness.processElement(
        new StreamRecord<>(
            new ChannelActivity(channel, channel + "-id", start, start + WINDOW, count, true),
            start + WINDOW - 1));
  }

  private void window(String channel, int index, long count) throws Exception {
    window(channel, index, count, -1);
  }

  /** A window whose most messages in one second were {@code peak}. */
  private void window(String channel, int index, long count, int peak) throws Exception {
    long start = index * WINDOW;
    harness.processElement(
        new StreamRecord<>(
            new ChannelActivity(
                channel, channel + "-id", start, start + WINDOW, count, false, false, peak),
            start + WINDOW - 1));
  }
}
