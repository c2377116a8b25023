package dev.streamhighlights.job.window;

import dev.streamhighlights.irc.model.ChatMessage;
import org.apache.flink.api.common.functions.AggregateFunction;

/**
 * Counts a channel's messages in a window incrementally, so the window keeps one small accumulator
 * per channel instead of the messages themselves. A watch-start marker is not a message: it only
 * flags the window as incomplete.
 */
public class MessageCount
    implements AggregateFunction<ChatMessage, MessageCount.Accumulator, MessageCount.Accumulator> {

  /** Running count of one channel's window; a POJO so the window state can evolve. */
  public static class Accumulator {
    public String channelId;
    public long count;

    /** Whether a watch-start marker fell into the window (added in version 2; false before). */
    public boolean watchStarted;

    public Accumulator() {}
  }

  @Override
  public Accumulator createAccumulator() {
    return new Accumulator();
  }

  @Override
  public Accumulator add(ChatMessage message, Accumulator acc) {
    if (message.isMessage()) {
      acc.channelId = message.channelId();
      acc.count++;
    } else {
      acc.watchStarted = true;
      if (acc.channelId == null || acc.channelId.isEmpty()) {
        acc.channelId = message.channelId();
      }
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
    if (a.channelId == null || a.channelId.isEmpty()) {
      a.channelId = b.channelId;
    }
    return a;
  }
}
