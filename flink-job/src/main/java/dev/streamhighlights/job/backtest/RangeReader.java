package dev.streamhighlights.job.backtest;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource.NumberSequenceSplit;
import org.apache.flink.core.io.InputStatus;

/**
 * Reads index ranges ({@link org.apache.flink.api.connector.source.lib.NumberSequenceSource}'s
 * splits) of columns held by the source, a slice per call; asks for the next range when one is
 * done. A checkpoint keeps the rest of the range being read.
 */
abstract class RangeReader<T> implements SourceReader<T, NumberSequenceSplit> {

  private final SourceReaderContext context;
  private final ArrayDeque<NumberSequenceSplit> pending = new ArrayDeque<>();
  private CompletableFuture<Void> available = new CompletableFuture<>();
  private boolean noMoreSplits;

  /** The range being read: its id, the next index, the last index; null when none. */
  private String splitId;

  private long next;
  private long last;

  RangeReader(SourceReaderContext context) {
    this.context = context;
  }

  /**
   * Emits a slice of the range from index {@code next} to at most {@code last}; returns the index
   * after the slice.
   */
  abstract long emit(long next, long last, ReaderOutput<T> output);

  @Override
  public void start() {
    if (pending.isEmpty()) {
      context.sendSplitRequest();
    }
  }

  @Override
  public InputStatus pollNext(ReaderOutput<T> output) {
    if (splitId == null && !nextSplit()) {
      if (noMoreSplits) {
        return InputStatus.END_OF_INPUT;
      }
      if (available.isDone()) {
        available = new CompletableFuture<>();
      }
      return InputStatus.NOTHING_AVAILABLE;
    }
    next = emit(next, last, output);
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
