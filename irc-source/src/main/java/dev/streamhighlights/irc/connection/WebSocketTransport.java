package dev.streamhighlights.irc.connection;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * IRC over WebSocket ({@code wss://irc-ws.chat.twitch.tv:443}, or {@code ws://} for tests): each
 * text frame holds one or more lines. Uses the JDK's WebSocket client, which needs no thread of its
 * own per connection.
 */
final class WebSocketTransport implements LineTransport {

  private final URI uri;
  private final HttpClient client;
  private final Duration connectTimeout;
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private volatile WebSocket socket;
  private volatile LineSink sink;
  private final StringBuilder partial = new StringBuilder();

  /**
   * Held while a frame's lines go to the sink (on the WebSocket client's thread): {@link
   * #readLines} returns only once no frame is being delivered, so the connection's thread never
   * works on the sink's state (its batch of messages read) at the same time, and no frame is
   * delivered after the close.
   */
  private final ReentrantLock delivering = new ReentrantLock();

  WebSocketTransport(URI uri, HttpClient client, Duration connectTimeout) {
    this.uri = uri;
    this.client = client;
    this.connectTimeout = connectTimeout;
  }

  @Override
  public void connect() throws IOException {
    try {
      socket =
          client
              .newWebSocketBuilder()
              .connectTimeout(connectTimeout)
              .buildAsync(uri, new Listener())
              .get(connectTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while connecting to " + uri, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("cannot connect to " + uri + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void send(String line) throws IOException {
    WebSocket ws = socket;
    if (ws == null) {
      throw new IOException("not connected");
    }
    // The JDK client allows one outstanding send at a time.
    synchronized (this) {
      try {
        ws.sendText(line + "\r\n", true).get(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while sending", e);
      } catch (ExecutionException | TimeoutException e) {
        throw new IOException("send failed: " + e.getMessage(), e);
      }
    }
  }

  @Override
  public void readLines(LineSink sink) throws IOException {
    this.sink = sink;
    socket.request(1);
    try {
      closed.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (ExecutionException e) {
      throw new IOException("connection failed: " + e.getCause().getMessage(), e.getCause());
    } finally {
      try {
        delivering.lockInterruptibly();
        delivering.unlock();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void close() {
    WebSocket ws = socket;
    if (ws != null) {
      ws.abort();
    }
    closed.complete(null);
  }

  private final class Listener implements WebSocket.Listener {
    @Override
    public void onOpen(WebSocket webSocket) {
      // Frames are requested once readLines has a sink.
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        deliver(partial);
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closed.complete(null);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed.completeExceptionally(error);
    }
  }

  private void deliver(CharSequence frame) {
    delivering.lock();
    try {
      if (closed.isDone()) {
        return;
      }
      sink.lines(frame.toString().getBytes(StandardCharsets.UTF_8));
    } finally {
      delivering.unlock();
    }
  }
}
