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

    /**
     * Hands over the lines of one read that came whole ({@code read} holds complete lines, each
     * ended by LF or CR LF), then ends the read.
     */
    default void lines(byte[] read) {
      int start = 0;
      for (int i = 0; i <= read.length; i++) {
        if (i == read.length || read[i] == '\n') {
          int end = i > start && read[i - 1] == '\r' ? i - 1 : i;
          if (end > start) {
            line(read, start, end);
          }
          start = i + 1;
        }
      }
      endOfRead();
    }
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
