package dev.streamhighlights.job.backtest;

import dev.streamhighlights.irc.model.ChatMessage;
import java.util.List;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource.NumberSequenceSplit;

/**
 * A bounded source that emits a list of chat messages in list order (at parallelism 1), for
 * backtests and tests. The list travels with the job graph, which suits logs of a few million rows.
 *
 * <p>The list's index ranges are the splits ({@link RangeSource}); the reader emits up to {@link
 * #BATCH} messages per call, straight from the columns. Flink's {@code DataGeneratorSource} did the
 * same one message per call, through a rate limiter's futures and a boxed index each time.
 */
public final class ListChatSource extends RangeSource<ChatMessage> {

  private static final long serialVersionUID = 1L;

  /** Messages emitted per call of the reader; a call of 1,000 takes tens of microseconds. */
  static final int BATCH = 1_000;

  private final ChatColumns columns;

  private ListChatSource(ChatColumns columns) {
    super(columns.size(), ChatMessage.class);
    this.columns = columns;
  }

  /** The source of {@code messages}, which must not be empty (a range holds one at least). */
  public static ListChatSource of(List<ChatMessage> messages) {
    if (messages.isEmpty()) {
      throw new IllegalArgumentException("no chat messages to replay");
    }
    return of(ChatColumns.of(messages));
  }

  /** The source of {@code columns}, which must not be empty. */
  public static ListChatSource of(ChatColumns columns) {
    if (columns.size() == 0) {
      throw new IllegalArgumentException("no chat messages to replay");
    }
    return new ListChatSource(columns);
  }

  @Override
  public SourceReader<ChatMessage, NumberSequenceSplit> createReader(SourceReaderContext context) {
    return new Reader(context, columns);
  }

  /** Emits its ranges of the list, a batch per call. */
  static final class Reader extends RangeReader<ChatMessage> {

    private final ChatColumns columns;

    Reader(SourceReaderContext context, ChatColumns columns) {
      super(context);
      this.columns = columns;
    }

    @Override
    long emit(long next, long last, ReaderOutput<ChatMessage> output) {
      long end = Math.min(last, next + BATCH - 1);
      for (long i = next; i <= end; i++) {
        output.collect(columns.at((int) i));
      }
      return end + 1;
    }
  }
}
