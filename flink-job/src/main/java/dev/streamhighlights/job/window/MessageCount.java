package dev.streamhighlights.job.window;

import org.apache.flink.api.common.functions.AggregateFunction;

/**
 * Adds up a channel's counts in a window ({@link ChatCount}s from {@link PartialCounts}), so the
 * window keeps one small accumulator per channel. A watch-start marker is not a message: it only
 * flags the window as incomplete.
 *
 * <p>This class's name and package stay as they are: the accumulator's class name is written into
 * the window state of every checkpoint and savepoint.
 */
public class MessageCount
    implements AggregateFunction<ChatCount, MessageCount.Accumulator, MessageCount.Accumulator> {

  /** Running count of one channel's window; a POJO so the window state can evolve. */
  public static class Accumulator {
    public String channelId;
    public long count;

    /** Whether a watch-start marker fell into the window (added in version 2; false before). */
    public boolean watchStarted;

    /**
     * Messages per second of the window ({@link SecondCounts}; added with the excess rule's peak,
     * null in a window restored from before, whose peak is then not known).
     */
    public int[] seconds;

    public Accumulator() {}
  }

  @Override
  public Accumulator createAccumulator() {
    return new Accumulator();
  }

  @Override
  public Accumulator add(ChatCount counted, Accumulator acc) {
    acc.count += counted.messages();
    acc.watchStarted |= counted.watchStarted();
    acc.seconds = SecondCounts.add(acc.seconds, counted.seconds());
    if (!counted.channelId().isEmpty()
        && (counted.messages() > 0 || acc.channelId == null || acc.channelId.isEmpty())) {
      acc.channelId = counted.channelId();
    }
    return acc;
  }

  @Override
  public Accumulator getResult(Accumulator acc) {
    return acc;
  }

  @Override
  public Accumulator merge(Accumulator a, Accumulator b) {
    a.count += b.count;
    a.watchStarted |= b.watchStarted;
    a.seconds = SecondCounts.add(a.seconds, b.seconds);
    if (a.channelId == null || a.channelId.isEmpty()) {
      a.channelId = b.channelId;
    }
    return a;
  }
}
