package dev.streamhighlights.job.backtest;

import dev.streamhighlights.job.window.ChatCount;
import dev.streamhighlights.job.window.SecondCounts;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource.NumberSequenceSplit;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;

/**
 * A bounded replay of chat sorted by time that counts in the reader: per call it reads one window
 * of the columns (at most {@link #SLICE} messages) and emits one {@link ChatCount} per channel that
 * chatted in it, which is what the live pipeline's {@code PartialCounts} sends across the {@code
 * keyBy} for the same messages. No message object is made; a replay costs a few nanoseconds per
 * message instead of a record through the source, the watermark generator and the counter.
 *
 * <p>A window larger than a slice goes out in parts, and the window operator adds them up, as it
 * adds the parts {@code PartialCounts} sends before a checkpoint barrier. A checkpoint keeps the
 * index after the last slice (see {@link RangeReader}). For parallelism 1, like {@link
 * ListChatSource}: a second range would start later in time than the first one's watermark.
 */
public final class ChatCountSource extends RangeSource<ChatCount> {

  private static final long serialVersionUID = 1L;

  /** Messages read per call at most: a window of a busy log, a few hundred microseconds. */
  static final int SLICE = 100_000;

  /** The columns, shared in this JVM for the job's life. */
  private final LocalInputs.Shared<ChatColumns> columns;

  private final long windowMillis;

  private ChatCountSource(LocalInputs.Shared<ChatColumns> columns, int size, long windowMillis) {
    super(size, ChatCount.class);
    this.columns = columns;
    this.windowMillis = windowMillis;
  }

  /**
   * The counting replay of {@code columns}, which must not be empty and must be sorted by time (a
   * {@link ChatLog}'s are), in windows of {@code windowMillis}, for a job on a local cluster in
   * this JVM: the columns stay where they are, shared until the job is over.
   */
  public static ChatCountSource local(LocalInputs.Shared<ChatColumns> columns, long windowMillis) {
    ChatColumns chat = columns.get();
    check(chat, windowMillis);
    return new ChatCountSource(columns, chat.size(), windowMillis);
  }

  private static void check(ChatColumns columns, long windowMillis) {
    if (columns.size() == 0) {
      throw new IllegalArgumentException("no chat messages to replay");
    }
    if (!columns.sortedByTime()) {
      throw new IllegalArgumentException("the chat to count must be sorted by time");
    }
    if (windowMillis <= 0) {
      throw new IllegalArgumentException("the window must be positive, not " + windowMillis);
    }
  }

  @Override
  public SourceReader<ChatCount, NumberSequenceSplit> createReader(SourceReaderContext context) {
    return new Reader(context, columns.get(), windowMillis);
  }

  /** Counts a window's slice of the range per channel in arrays indexed by channel. */
  static final class Reader extends RangeReader<ChatCount> {

    private final ChatColumns columns;
    private final long windowMillis;
    private final long[] counts;
    private final long[] newest;
    private final int[] touched;
    private final int[][] seconds;

    Reader(SourceReaderContext context, ChatColumns columns, long windowMillis) {
      super(context);
      this.columns = columns;
      this.windowMillis = windowMillis;
      int channels = columns.names().length;
      this.counts = new long[channels];
      this.newest = new long[channels];
      this.touched = new int[channels];
      this.seconds = new int[channels][];
    }

    @Override
    long emit(long next, long last, ReaderOutput<ChatCount> output) {
      int[] channels = columns.channels();
      long[] times = columns.eventTimes();
      int i = (int) next;
      int stop = (int) Math.min(last, next + SLICE - 1);
      long start = TimeWindow.getWindowStartWithOffset(times[i], 0, windowMillis);
      long end = start + windowMillis;
      int n = 0;
      for (; i <= stop && times[i] < end; i++) {
        int c = channels[i];
        if (counts[c]++ == 0) {
          touched[n++] = c;
          seconds[c] = new int[SecondCounts.slots(windowMillis)];
        }
        seconds[c][SecondCounts.slot(times[i], start)]++;
        newest[c] = times[i];
      }
      String[] names = columns.names();
      String[] ids = columns.ids();
      for (int k = 0; k < n; k++) {
        int c = touched[k];
        output.collect(new ChatCount(names[c], ids[c], newest[c], counts[c], false, seconds[c]));
        counts[c] = 0;
        seconds[c] = null;
      }
      return i;
    }
  }
}
