package dev.streamhighlights.job.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamhighlights.irc.model.ChatMessage;
import dev.streamhighlights.job.window.ChatCount;
import dev.streamhighlights.job.window.SecondCounts;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource.NumberSequenceSplit;
import org.apache.flink.connector.testutils.source.reader.TestingReaderContext;
import org.apache.flink.connector.testutils.source.reader.TestingReaderOutput;
import org.apache.flink.core.io.InputStatus;
import org.junit.jupiter.api.Test;

/** The counting replay: the counts per channel and window are the messages', across slices. */
class ChatCountSourceTest {

  private static final long WINDOW = 10_000;

  @Test
  void countsEveryChannelsWindowsAsTheMessagesDoAndResumesFromACheckpoint() {
    // 120,000 messages over 40 channels in about 60 s (a window per call), then a window of
    // 130,000 messages, which goes out in two slices.
    Random random = new Random(3);
    List<ChatMessage> messages = new ArrayList<>();
    long t = 1_700_000_000_000L;
    for (int i = 0; i < 120_000; i++) {
      t += random.nextInt(2);
      messages.add(new ChatMessage("c" + random.nextInt(40), "id", t));
    }
    long busy = (t / WINDOW + 1) * WINDOW;
    for (int i = 0; i < 130_000; i++) {
      messages.add(new ChatMessage("c" + random.nextInt(40), "id", busy + i / 20));
    }
    ChatColumns columns = ChatColumns.of(messages);
    int n = columns.size();

    TestingReaderContext context = new TestingReaderContext();
    ChatCountSource.Reader reader = new ChatCountSource.Reader(context, columns, WINDOW);
    reader.start();
    reader.addSplits(List.of(new NumberSequenceSplit("0", 0, n - 1)));
    TestingReaderOutput<ChatCount> output = new TestingReaderOutput<>();
    assertThat(reader.pollNext(output)).isEqualTo(InputStatus.MORE_AVAILABLE);
    List<NumberSequenceSplit> state = reader.snapshotState(1);
    long resumeAt = state.get(0).from();
    assertThat(resumeAt).isGreaterThan(0).isLessThan(n);

    ChatCountSource.Reader restored =
        new ChatCountSource.Reader(new TestingReaderContext(), columns, WINDOW);
    restored.addSplits(state);
    restored.start();
    InputStatus status;
    int calls = 0;
    do {
      status = restored.pollNext(output);
      calls++;
    } while (status == InputStatus.MORE_AVAILABLE);
    restored.notifyNoMoreSplits();
    assertThat(restored.pollNext(output)).isEqualTo(InputStatus.END_OF_INPUT);
    assertThat(calls).as("a slice per call at most").isGreaterThan(3);

    assertThat(sum(output.getEmittedRecords())).isEqualTo(expected(messages));
    assertThat(output.getEmittedRecords().stream().filter(c -> c.eventTime() >= busy))
        .as("the busy window's 40 channels, each in two parts")
        .hasSize(80);
    for (ChatCount c : output.getEmittedRecords()) {
      assertThat(c.messages()).isPositive();
      assertThat(c.watchStarted()).isFalse();
      assertThat(c.channelId()).isEqualTo("id");
    }

    // Their messages per second add up to each window's, parts and all.
    Map<String, int[]> seconds = new HashMap<>();
    for (ChatCount c : output.getEmittedRecords()) {
      long start = c.eventTime() / WINDOW * WINDOW;
      seconds.merge(
          c.channel() + "@" + start, c.seconds(), (x, y) -> SecondCounts.add(x.clone(), y));
    }
    Map<String, int[]> expectedSeconds = new HashMap<>();
    for (ChatMessage m : messages) {
      long start = m.eventTime() / WINDOW * WINDOW;
      expectedSeconds
          .computeIfAbsent(m.channel() + "@" + start, k -> new int[SecondCounts.slots(WINDOW)])[
          SecondCounts.slot(m.eventTime(), start)]++;
    }
    assertThat(seconds).containsOnlyKeys(expectedSeconds.keySet());
    expectedSeconds.forEach((k, v) -> assertThat(seconds.get(k)).as(k).containsExactly(v));
  }

  @Test
  void refusesChatThatIsNotSortedByTime() {
    ChatColumns unsorted =
        ChatColumns.of(List.of(new ChatMessage("a", "a", 2), new ChatMessage("a", "a", 1)));
    assertThatThrownBy(() -> ChatCountSource.local(LocalInputs.share(unsorted), WINDOW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sorted by time");
  }

  /** Per channel and window start: messages and the newest time. */
  private static Map<String, List<Long>> sum(List<ChatCount> counts) {
    Map<String, List<Long>> sums = new TreeMap<>();
    counts.forEach(c -> add(sums, c.channel(), c.eventTime(), c.messages()));
    return sums;
  }

  private static Map<String, List<Long>> expected(List<ChatMessage> messages) {
    Map<String, List<Long>> sums = new TreeMap<>();
    messages.forEach(m -> add(sums, m.channel(), m.eventTime(), 1));
    return sums;
  }

  private static void add(Map<String, List<Long>> sums, String channel, long time, long n) {
    List<Long> s =
        sums.computeIfAbsent(
            channel + "@" + Math.floorDiv(time, WINDOW) * WINDOW,
            k -> new ArrayList<>(List.of(0L, Long.MIN_VALUE)));
    s.set(0, s.get(0) + n);
    s.set(1, Math.max(s.get(1), time));
  }
}
