package dev.streamhighlights.irc.connection;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@link LineTransport} over two queues, for protocol tests without sockets: the test plays the
 * server, giving it lines to send and taking the lines the client sent.
 */
final class InMemoryTransport implements LineTransport {

  /** Marks the end of the connection in the server's queue. */
  private static final byte[] END = new byte[0];

  private final BlockingQueue<byte[]> fromServer = new LinkedBlockingQueue<>();
  private final BlockingQueue<String> sent = new LinkedBlockingQueue<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  /** A factory handing each transport it opens to {@code opened}, in order. */
  static TransportFactory factory(BlockingQueue<InMemoryTransport> opened) {
    return (settings, onOverlongLine) -> {
      InMemoryTransport t = new InMemoryTransport();
      opened.add(t);
      return t;
    };
  }

  @Override
  public void connect() {}

  @Override
  public void send(String line) throws IOException {
    if (closed.get()) {
      throw new IOException("closed");
    }
    sent.add(line);
  }

  @Override
  public void readLines(LineSink sink) throws IOException {
    try {
      for (byte[] read = fromServer.take(); read != END; read = fromServer.take()) {
        sink.lines(read);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while reading");
    }
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      fromServer.add(END);
    }
  }

  boolean isClosed() {
    return closed.get();
  }

  /** The server sends {@code line} (without CR LF); the client reads it alone. */
  void serverSends(String line) {
    fromServer.add(line.getBytes(StandardCharsets.UTF_8));
  }

  /** The server sends {@code lines}, which the client reads all at once (one socket read). */
  void serverSendsInOneRead(List<String> lines) {
    fromServer.add(String.join("\r\n", lines).concat("\r\n").getBytes(StandardCharsets.UTF_8));
  }

  /** The next line the client sent, waiting up to {@code timeout} for it; null if none came. */
  String nextSent(Duration timeout) throws InterruptedException {
    return sent.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
