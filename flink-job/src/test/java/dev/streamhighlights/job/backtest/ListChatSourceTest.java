package dev.streamhighlights.job.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamhighlights.irc.model.ChatMessage;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource.NumberSequenceSplit;
import org.apache.flink.connector.testutils.source.reader.TestingReaderContext;
import org.apache.flink.connector.testutils.source.reader.TestingReaderOutput;
import org.apache.flink.core.io.InputStatus;
import org.junit.jupiter.api.Test;

/** The replay reader: batches in list order, and a checkpoint in the middle of a range. */
class ListChatSourceTest {

  private static final int N = 2_500;

  @Test
  void emitsTheListInOrderInBatchesAndResumesWhereTheCheckpointWas() {
    List<ChatMessage> messages = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      messages.add(new ChatMessage("c" + (i % 7), "id" + (i % 7), 1_000L * i));
    }
    ChatColumns columns = ChatColumns.of(messages);

    TestingReaderContext context = new TestingReaderContext();
    ListChatSource.Reader reader = new ListChatSource.Reader(context, columns);
    reader.start();
    assertThat(context.getNumSplitRequests()).isEqualTo(1);
    TestingReaderOutput<ChatMessage> output = new TestingReaderOutput<>();
    assertThat(reader.pollNext(output)).isEqualTo(InputStatus.NOTHING_AVAILABLE);
    reader.addSplits(List.of(new NumberSequenceSplit("0", 0, N - 1)));

    assertThat(reader.pollNext(output)).isEqualTo(InputStatus.MORE_AVAILABLE);
    assertThat(output.getEmittedRecords()).hasSize(ListChatSource.BATCH);
    List<NumberSequenceSplit> state = reader.snapshotState(1);
    assertThat(state)
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.from()).isEqualTo(ListChatSource.BATCH);
              assertThat(s.to()).isEqualTo(N - 1);
            });

    // A new reader restored from the checkpoint reads the rest, then ends with the input.
    TestingReaderContext restoredContext = new TestingReaderContext();
    ListChatSource.Reader restored = new ListChatSource.Reader(restoredContext, columns);
    restored.addSplits(state);
    restored.start();
    TestingReaderOutput<ChatMessage> rest = new TestingReaderOutput<>();
    InputStatus status;
    int calls = 0;
    do {
      status = restored.pollNext(rest);
      calls++;
    } while (status == InputStatus.MORE_AVAILABLE);
    assertThat(status).isEqualTo(InputStatus.NOTHING_AVAILABLE);
    assertThat(restoredContext.getNumSplitRequests()).as("asks for more when done").isEqualTo(1);
    restored.notifyNoMoreSplits();
    assertThat(restored.pollNext(rest)).isEqualTo(InputStatus.END_OF_INPUT);
    assertThat(calls).as("batches of %d", ListChatSource.BATCH).isEqualTo(3);

    List<ChatMessage> all = new ArrayList<>(output.getEmittedRecords());
    all.addAll(rest.getEmittedRecords());
    assertThat(all).isEqualTo(messages);
  }

  @Test
  void anEmptyListIsRefusedWithAReason() {
    assertThatThrownBy(() -> ListChatSource.of(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no chat messages");
  }
}
