package dev.streamhighlights.job.window;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamhighlights.irc.model.ChatMessage;
import java.util.List;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** A window's messages per second: counted before the keyBy, added up exactly, its peak. */
class SecondCountsTest {

  @Test
  void slotsAreTheSecondsOfTheClockFromTheWindowsFirst() {
    assertThat(SecondCounts.slot(10_000, 10_000)).isZero();
    assertThat(SecondCounts.slot(10_999, 10_000)).isZero();
    assertThat(SecondCounts.slot(19_999, 10_000)).isEqualTo(9);
    // A window that starts within a second (1.5 s windows) spans one slot more.
    assertThat(SecondCounts.slot(2_999, 1_500)).isEqualTo(1);
    // Every message of every window has a slot, however the window lies against the seconds.
    for (long window : new long[] {1_000, 1_500, 2_000, 10_000, 10_500, 299_999}) {
      for (long start = 0; start < 20 * window; start += window) {
        assertThat(SecondCounts.slot(start, start)).isZero();
        assertThat(SecondCounts.slot(start + window - 1, start))
            .as("window %d at %d", window, start)
            .isLessThan(SecondCounts.slots(window));
      }
    }
  }

  @Test
  void thePeakIsKnownOnlyWhenTheSecondsHoldEveryMessage() {
    assertThat(SecondCounts.peak(new int[] {1, 3, 2}, 6)).isEqualTo(3);
    assertThat(SecondCounts.peak(null, 0)).isZero();
    assertThat(SecondCounts.peak(null, 4)).as("counted without seconds").isEqualTo(-1);
    assertThat(SecondCounts.peak(new int[] {1, 3, 2}, 9))
        .as("a window restored with 3 messages from before seconds were kept")
        .isEqualTo(-1);
  }

  @Test
  void partsSplitByACheckpointBarrierAddUpToTheWindowsPeak() throws Exception {
    try (OneInputStreamOperatorTestHarness<ChatMessage, ChatCount> harness =
        new OneInputStreamOperatorTestHarness<>(new PartialCounts(10_000))) {
      harness.open();
      for (long t : new long[] {3_100, 3_200, 7_000}) {
        harness.processElement(new ChatMessage("a", "1", t), t);
      }
      harness.prepareSnapshotPreBarrier(1); // the open counts go out before the barrier
      for (long t : new long[] {3_900, 5_000}) {
        harness.processElement(new ChatMessage("a", "1", t), t);
      }
      harness.processWatermark(new Watermark(9_999));

      List<ChatCount> parts = harness.extractOutputValues();
      assertThat(parts).hasSize(2);
      assertThat(parts.get(0).seconds()).startsWith(0, 0, 0, 2, 0, 0, 0, 1);
      assertThat(parts.get(1).seconds()).startsWith(0, 0, 0, 1, 0, 1);
      MessageCount count = new MessageCount();
      MessageCount.Accumulator acc = count.createAccumulator();
      for (ChatCount part : parts) {
        acc = count.add(part, acc);
      }
      assertThat(acc.count).isEqualTo(5);
      assertThat(SecondCounts.peak(acc.seconds, acc.count))
          .as("second 3 holds 3 messages, 2 before the barrier and 1 after")
          .isEqualTo(3);
      assertThat(SecondCounts.peak(parts.get(1).seconds(), parts.get(1).messages())).isEqualTo(1);
    }
  }

  @Test
  void accumulatorsMergeTheirSecondsAndAWatchStartMarkerIsNoMessage() {
    MessageCount count = new MessageCount();
    MessageCount.Accumulator a = count.createAccumulator();
    a = count.add(new ChatCount("a", "1", 1_000, 2, false, new int[] {0, 2}), a);
    a = count.add(new ChatCount("a", "1", 1_000, 0, true), a);
    MessageCount.Accumulator b = count.createAccumulator();
    b = count.add(new ChatCount("a", "1", 1_500, 1, false, new int[] {0, 1, 0}), b);
    MessageCount.Accumulator merged = count.merge(a, b);
    assertThat(merged.seconds).containsExactly(0, 3, 0);
    assertThat(SecondCounts.peak(merged.seconds, merged.count)).isEqualTo(3);
    assertThat(merged.watchStarted).isTrue();
  }
}
