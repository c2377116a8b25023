package dev.streamhighlights.job.window;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamhighlights.irc.model.ChatMessage;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PartialCountsTest {

  private OneInputStreamOperatorTestHarness<ChatMessage, ChatCount> harness;

  @BeforeEach
  void setUp() throws Exception {
    harness = new OneInputStreamOperatorTestHarness<>(new PartialCounts(10_000));
    harness.open();
  }

  @AfterEach
  void tearDown() throws Exception {
    harness.close();
  }

  private void message(String channel, long time) throws Exception {
    harness.processElement(new ChatMessage(channel, "id-" + channel, time), time);
  }

  @Test
  void aWindowsCountsGoOutJustBeforeTheWatermarkThatClosesIt() throws Exception {
    message("a", 1_000);
    message("a", 4_000);
    message("b", 9_999);
    message("a", 12_000); // next window
    assertThat(harness.getOutput()).isEmpty();

    harness.processWatermark(new Watermark(9_998));
    assertThat(harness.getOutput()).hasSize(1); // only the watermark: 9,999 may still come

    harness.processWatermark(new Watermark(9_999));
    assertThat(harness.extractOutputValues())
        .usingRecursiveFieldByFieldElementComparatorIgnoringFields("seconds")
        .containsExactlyInAnyOrder(
            new ChatCount("a", "id-a", 4_000, 2, false),
            new ChatCount("b", "id-b", 9_999, 1, false));
    // Counts first, then the watermark that closes their window.
    Object last = harness.getOutput().toArray()[harness.getOutput().size() - 1];
    assertThat(last).isEqualTo(new Watermark(9_999));
    assertThat(harness.extractOutputStreamRecords())
        .extracting(r -> r.getTimestamp())
        .containsExactlyInAnyOrder(4_000L, 9_999L);
  }

  @Test
  void messagesBehindTheWatermarkAreCountedTogetherAndGoOutWithTheNextWatermark() throws Exception {
    harness.processWatermark(new Watermark(15_000));
    message("a", 3_000);
    message("a", 3_500);
    message("a", 12_000); // its window is still open
    message("b", 4_000);
    assertThat(harness.extractOutputValues()).isEmpty();
    harness.processWatermark(new Watermark(15_200));
    assertThat(harness.extractOutputValues())
        .usingRecursiveFieldByFieldElementComparatorIgnoringFields("seconds")
        .containsExactlyInAnyOrder(
            new ChatCount("a", "id-a", 3_500, 2, false),
            new ChatCount("b", "id-b", 4_000, 1, false));
  }

  @Test
  void watchStartMarkersFlagTheirWindowWithoutCounting() throws Exception {
    harness.processElement(ChatMessage.watchStart("a", "", 2_000), 2_000);
    message("a", 2_500);
    harness.processWatermark(new Watermark(20_000));
    assertThat(harness.extractOutputValues())
        .usingRecursiveFieldByFieldElementComparatorIgnoringFields("seconds")
        .containsExactly(new ChatCount("a", "id-a", 2_500, 1, true));
    assertThat(harness.extractOutputValues().get(0).seconds())
        .as("the message, not the marker, in second 2")
        .startsWith(0, 0, 1, 0);
  }

  @Test
  void everyOpenCountGoesOutBeforeACheckpointBarrier() throws Exception {
    message("a", 1_000);
    message("a", 11_000);
    harness.prepareSnapshotPreBarrier(1);
    assertThat(harness.extractOutputValues())
        .usingRecursiveFieldByFieldElementComparatorIgnoringFields("seconds")
        .containsExactlyInAnyOrder(
            new ChatCount("a", "id-a", 1_000, 1, false),
            new ChatCount("a", "id-a", 11_000, 1, false));
    // Nothing is kept: the next watermark sends nothing more.
    harness.getOutput().clear();
    harness.processWatermark(new Watermark(30_000));
    assertThat(harness.extractOutputValues()).isEmpty();
  }
}
