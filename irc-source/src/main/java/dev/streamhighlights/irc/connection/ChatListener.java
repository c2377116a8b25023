package dev.streamhighlights.irc.connection;

import dev.streamhighlights.irc.model.ChatMessage;

/**
 * What the connections call, from their own threads: each message, the scheduler's tick, a fatal
 * error. The source reader implements it; so do tests and benchmarks.
 */
public interface ChatListener {

  /** Takes a message; may block while the consumer is behind (backpressure to the socket). */
  void onMessage(ChatMessage message) throws InterruptedException;

  /**
   * Takes the messages of one read, or part of one, in order: what connections call. The source
   * reader takes them as one batch; by default each goes to {@link #onMessage}.
   */
  default void onMessages(ChatMessage[] messages) throws InterruptedException {
    for (ChatMessage m : messages) {
      onMessage(m);
    }
  }

  /**
   * Whether the consumer is behind and {@link #onMessage} would block: connections then stop
   * reading, and their silence must not be taken for a dead connection.
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
  default void onTick() {}

  /** A connection gave up (e.g. the login keeps failing): the source should fail with this. */
  void onFatalError(Exception error);
}
