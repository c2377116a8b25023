package dev.streamhighlights.irc.connection;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Counters the connections update and the reader exports as Flink metrics. */
public final class ChatStats {
  public final LongAdder messages = new LongAdder();
  public final LongAdder sharedChatCopies = new LongAdder();
  public final LongAdder userNotices = new LongAdder();
  public final LongAdder parseErrors = new LongAdder();
  public final LongAdder reconnects = new LongAdder();
  public final LongAdder loginFailures = new LongAdder();
  public final LongAdder joinsSent = new LongAdder();

  /** Messages dropped because their {@code tmi-sent-ts} was too far in the future. */
  public final LongAdder futureTimestamps = new LongAdder();

  /** {@code tmi-sent-ts} of the newest message, for the lag gauge. */
  public final AtomicLong lastEventTime = new AtomicLong(-1);
}
