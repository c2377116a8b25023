package dev.streamhighlights.job.backtest;

import dev.streamhighlights.irc.model.ChatMessage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource.NumberSequenceSplit;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A bounded source that emits a list of chat messages in list order (at parallelism 1), for
 * backtests and tests. The list travels with the job graph, which suits logs of a few million rows.
 *
 * <p>The ranges of the list are {@link NumberSequenceSource}'s splits (its enumerator and
 * serializers); the reader emits up to {@link #BATCH} messages per call, straight from the columns.
 * Flink's {@code DataGeneratorSource} did the same one message per call, through a rate limiter's
 * futures and a boxed index each time.
 */
public final class ListChatSource
    implements Source<ChatMessage, NumberSequenceSplit, Collection<NumberSequenceSplit>>,
        ResultTypeQueryable<ChatMessage> {

  private static final long serialVersionUID = 1L;

  /** Messages emitted per call of the reader; a call of 1,000 takes tens of microseconds. */
  static final int BATCH = 1_000;

  private final Columns columns;
  private final NumberSequenceSource ranges;

  private ListChatSource(Columns columns) {
    this.columns = columns;
    this.ranges = new NumberSequenceSource(0, columns.size() - 1L);
  }

  /** The source of {@code messages}, which must not be empty (a range holds one at least). */
  public static ListChatSource of(List<ChatMessage> messages) {
    if (messages.isEmpty()) {
      throw new IllegalArgumentException("no chat messages to replay");
    }
    return new ListChatSource(Columns.of(messages));
  }

  @Override
  public Boundedness getBoundedness() {
    return Boundedness.BOUNDED;
  }

  @Override
  public TypeInformation<ChatMessage> getProducedType() {
    return TypeInformation.of(ChatMessage.class);
  }

  @Override
  public SourceReader<ChatMessage, NumberSequenceSplit> createReader(SourceReaderContext context) {
    return new Reader(context, columns);
  }

  @Override
  public SplitEnumerator<NumberSequenceSplit, Collection<NumberSequenceSplit>> createEnumerator(
      SplitEnumeratorContext<NumberSequenceSplit> context) {
    return ranges.createEnumerator(context);
  }

  @Override
  public SplitEnumerator<NumberSequenceSplit, Collection<NumberSequenceSplit>> restoreEnumerator(
      SplitEnumeratorContext<NumberSequenceSplit> context, Collection<NumberSequenceSplit> state) {
    return ranges.restoreEnumerator(context, state);
  }

  @Override
  public SimpleVersionedSerializer<NumberSequenceSplit> getSplitSerializer() {
    return ranges.getSplitSerializer();
  }

  @Override
  public SimpleVersionedSerializer<Collection<NumberSequenceSplit>>
      getEnumeratorCheckpointSerializer() {
    return ranges.getEnumeratorCheckpointSerializer();
  }

  /** Emits its ranges of the list, a batch per call; asks for the next range when one is done. */
  static final class Reader implements SourceReader<ChatMessage, NumberSequenceSplit> {

    private final SourceReaderContext context;
    private final Columns columns;
    private final ArrayDeque<NumberSequenceSplit> pending = new ArrayDeque<>();
    private CompletableFuture<Void> available = new CompletableFuture<>();
    private boolean noMoreSplits;

    /** The range being read: its id, the next index, the last index; null when none. */
    private String splitId;

    private long next;
    private long last;

    Reader(SourceReaderContext context, Columns columns) {
      this.context = context;
      this.columns = columns;
    }

    @Override
    public void start() {
      if (pending.isEmpty()) {
        context.sendSplitRequest();
      }
    }

    @Override
    public InputStatus pollNext(ReaderOutput<ChatMessage> output) {
      if (splitId == null && !nextSplit()) {
        if (noMoreSplits) {
          return InputStatus.END_OF_INPUT;
        }
        if (available.isDone()) {
          available = new CompletableFuture<>();
        }
        return InputStatus.NOTHING_AVAILABLE;
      }
      long end = Math.min(last, next + BATCH - 1);
      for (long i = next; i <= end; i++) {
        output.collect(columns.at((int) i));
      }
      next = end + 1;
      if (next > last) {
        splitId = null;
        if (pending.isEmpty() && !noMoreSplits) {
          context.sendSplitRequest();
        }
      }
      return InputStatus.MORE_AVAILABLE;
    }

    private boolean nextSplit() {
      NumberSequenceSplit split = pending.poll();
      if (split == null) {
        return false;
      }
      splitId = split.splitId();
      next = split.from();
      last = split.to();
      return true;
    }

    @Override
    public List<NumberSequenceSplit> snapshotState(long checkpointId) {
      List<NumberSequenceSplit> state = new ArrayList<>();
      if (splitId != null && next <= last) {
        state.add(new NumberSequenceSplit(splitId, next, last));
      }
      state.addAll(pending);
      return state;
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
      return available;
    }

    @Override
    public void addSplits(List<NumberSequenceSplit> splits) {
      pending.addAll(splits);
      available.complete(null);
    }

    @Override
    public void notifyNoMoreSplits() {
      noMoreSplits = true;
      available.complete(null);
    }

    @Override
    public void close() {}
  }

  /**
   * Columns instead of objects, and each channel once: the list travels with the job graph, where
   * primitive arrays serialize as blocks while an array of strings costs a lookup per element.
   */
  record Columns(String[] names, String[] ids, int[] channels, long[] eventTimes)
      implements java.io.Serializable {

    static Columns of(List<ChatMessage> messages) {
      int n = messages.size();
      Map<Channel, Integer> index = new HashMap<>();
      List<String> names = new ArrayList<>();
      List<String> ids = new ArrayList<>();
      int[] channels = new int[n];
      long[] eventTimes = new long[n];
      for (int i = 0; i < n; i++) {
        ChatMessage m = messages.get(i);
        // A channel's id is the same throughout a log; the pair is the key all the same.
        Channel key = new Channel(m.channel(), m.channelId());
        Integer k = index.get(key);
        if (k == null) {
          k = names.size();
          index.put(key, k);
          names.add(m.channel());
          ids.add(m.channelId());
        }
        channels[i] = k;
        eventTimes[i] = m.eventTime();
      }
      return new Columns(
          names.toArray(new String[0]), ids.toArray(new String[0]), channels, eventTimes);
    }

    private record Channel(String name, String id) {}

    int size() {
      return eventTimes.length;
    }

    ChatMessage at(int i) {
      int c = channels[i];
      return new ChatMessage(names[c], ids[c], eventTimes[i]);
    }
  }
}
