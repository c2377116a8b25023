package dev.streamhighlights.irc.connection;

import dev.streamhighlights.irc.model.ChatMessage;

/** Where connections hand their messages and their fatal errors. */
public interface ChatSink {

  /** Accepts a message; may block while the consumer is behind (backpressure to the socket). */
  void message(ChatMessage message) throws InterruptedException;

  /** A connection gave up (e.g. the login keeps failing): the source should fail with this. */
  void fatal(Exception error);
}
