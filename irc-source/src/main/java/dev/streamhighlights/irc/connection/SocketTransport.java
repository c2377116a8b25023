package dev.streamhighlights.irc.connection;

import dev.streamhighlights.irc.protocol.Bytes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * IRC over a TCP socket: {@code ircs://} with TLS (certificate and host name checked) or plain
 * {@code irc://} for tests and local simulators. Lines are cut from a reused byte buffer, so
 * reading allocates nothing per line.
 */
final class SocketTransport implements LineTransport {

  /** Longer lines are not IRC (Twitch's limit is far lower); they are skipped, not buffered. */
  static final int MAX_LINE = 16 * 1024;

  private final URI uri;
  private final int connectTimeoutMillis;
  private final Runnable onOverlongLine;
  private final SSLSocketFactory tlsSockets;
  private volatile Socket socket;
  private OutputStream out;

  SocketTransport(URI uri, int connectTimeoutMillis, Runnable onOverlongLine) {
    this(
        uri,
        connectTimeoutMillis,
        onOverlongLine,
        (SSLSocketFactory) SSLSocketFactory.getDefault());
  }

  /** With the TLS trust of {@code tls} (tests trust their own certificate this way). */
  SocketTransport(
      URI uri, int connectTimeoutMillis, Runnable onOverlongLine, SSLSocketFactory tls) {
    this.uri = uri;
    this.connectTimeoutMillis = connectTimeoutMillis;
    this.onOverlongLine = onOverlongLine;
    this.tlsSockets = tls;
  }

  @Override
  public void connect() throws IOException {
    boolean tls = "ircs".equals(uri.getScheme());
    int port = uri.getPort() > 0 ? uri.getPort() : (tls ? 6697 : 6667);
    Socket s;
    if (tls) {
      SSLSocket ssl = (SSLSocket) tlsSockets.createSocket();
      SSLParameters params = ssl.getSSLParameters();
      params.setEndpointIdentificationAlgorithm("HTTPS");
      ssl.setSSLParameters(params);
      s = ssl;
    } else {
      s = new Socket();
    }
    socket = s;
    s.setTcpNoDelay(true);
    s.setKeepAlive(true);
    s.connect(new InetSocketAddress(uri.getHost(), port), connectTimeoutMillis);
    if (s instanceof SSLSocket ssl) {
      ssl.startHandshake();
    }
    out = s.getOutputStream();
  }

  @Override
  public void send(String line) throws IOException {
    byte[] bytes = (line + "\r\n").getBytes(StandardCharsets.UTF_8);
    synchronized (this) {
      if (out == null) {
        throw new IOException("not connected");
      }
      out.write(bytes);
      out.flush();
    }
  }

  @Override
  public void readLines(LineSink sink) throws IOException {
    InputStream in = socket.getInputStream();
    byte[] buf = new byte[64 * 1024];
    int start = 0;
    int end = 0;
    boolean skipping = false;
    while (true) {
      if (end == buf.length) {
        if (start > 0) {
          System.arraycopy(buf, start, buf, 0, end - start);
          end -= start;
          start = 0;
        } else {
          // One line fills the whole buffer: drop it up to its end.
          end = 0;
          skipping = true;
          onOverlongLine.run();
        }
      }
      int n = in.read(buf, end, buf.length - end);
      if (n < 0) {
        return;
      }
      int scan = end;
      end += n;
      for (int i = Bytes.indexOf(buf, scan, end, (byte) '\n');
          i >= 0;
          i = Bytes.indexOf(buf, i + 1, end, (byte) '\n')) {
        int lineEnd = i > start && buf[i - 1] == '\r' ? i - 1 : i;
        if (!skipping && lineEnd - start > MAX_LINE) {
          onOverlongLine.run();
        } else if (!skipping && lineEnd > start) {
          sink.line(buf, start, lineEnd);
        }
        skipping = false;
        start = i + 1;
      }
      if (start == end) {
        start = end = 0;
      }
      sink.endOfRead();
    }
  }

  @Override
  public void close() {
    Socket s = socket;
    if (s != null) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }
}
