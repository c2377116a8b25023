package dev.streamhighlights.irc.connection;

import java.io.Closeable;
import java.io.IOException;

/**
 * A line-oriented connection to a chat server: plain or TLS socket, or WebSocket. The small
 * interface lets tests replace the network.
 */
interface LineTransport extends Closeable {

  /** Receives the bytes of one line, without CR LF; the buffer is reused after the call. */
  interface LineSink {
    void line(byte[] buf, int from, int to);

    /**
     * Called after the lines of one network read: per-read bookkeeping (liveness, counters) goes
     * here instead of into every line.
     */
    void endOfRead();
  }

  /** Connects, blocking until connected or failed. */
  void connect() throws IOException;

  /** Sends one line (CR LF is added). Safe to call from any thread. */
  void send(String line) throws IOException;

  /** Hands every received line to {@code sink} until the connection ends. */
  void readLines(LineSink sink) throws IOException;

  /** Closes the connection; idempotent, and unblocks {@link #readLines}. */
  @Override
  void close();
}
