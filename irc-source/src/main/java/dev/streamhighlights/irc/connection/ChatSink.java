package dev.streamhighlights.irc.connection;

import dev.streamhighlights.irc.model.ChatMessage;

/** Where connections hand their messages and their fatal errors. */
public interface ChatSink {

  /** Accepts a message; may block while the consumer is behind (backpressure to the socket). */
  void message(ChatMessage message) throws InterruptedException;

  /**
   * Whether the consumer is behind and {@link #message} would block: connections then stop reading,
   * and their silence must not be taken for a dead connection.
   */
  default boolean backpressured() {
    return false;
  }

  /**
   * How far ahead of this machine's clock a message's {@code tmi-sent-ts} may be; later messages
   * are dropped and counted. Live chat is stamped with Twitch's clock, so a few seconds cover clock
   * skew; a replay at a higher speed runs ahead on purpose and turns the check off.
   */
  default long futureToleranceMillis() {
    return DEFAULT_FUTURE_TOLERANCE_MILLIS;
  }

  /** {@link #futureToleranceMillis()} of live chat. */
  long DEFAULT_FUTURE_TOLERANCE_MILLIS = 5_000;

  /** Called about every 100 ms by the client's scheduler, whatever the traffic. */
  default void tick() {}

  /** A connection gave up (e.g. the login keeps failing): the source should fail with this. */
  void fatal(Exception error);
}
