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

  /** Called about every 100 ms by the client's scheduler, whatever the traffic. */
  default void tick() {}

  /** A connection gave up (e.g. the login keeps failing): the source should fail with this. */
  void fatal(Exception error);
}
