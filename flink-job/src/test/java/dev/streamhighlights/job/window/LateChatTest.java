package dev.streamhighlights.job.window;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamhighlights.job.model.ChannelActivity;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class LateChatTest {

  @Test
  void lateMessagesGoToTheDetectorAsWhatTheirWindowMissedAndALateWatchStartResetsItsChannel()
      throws Exception {
    try (OneInputStreamOperatorTestHarness<ChatCount, ChannelActivity> harness =
        ProcessFunctionTestHarnesses.forProcessFunction(new LateChat(10_000))) {
      harness.processElement(new ChatCount("a", "1", 24_000, 7, false), 24_000);
      harness.processElement(new ChatCount("a", "1", 25_000, 0, true), 25_000);
      assertThat(harness.extractOutputValues())
          .containsExactly(
              new ChannelActivity("a", "1", 20_000, 30_000, 7, false, true),
              new ChannelActivity("a", "1", 20_000, 30_000, 0, true));
    }
  }
}
