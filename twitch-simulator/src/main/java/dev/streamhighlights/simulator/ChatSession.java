package dev.streamhighlights.simulator;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One accepted chat connection: its own thread reads, any thread may write. Subclasses differ only
 * in how lines travel: bare on the IRC port, in frames on the WebSocket port.
 */
abstract class ChatSession {

  private final Socket socket;
  private final OutputStream out;
  private final Object writeLock = new Object();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Consumer<ChatSession> onClose;
  private final IrcDialogue irc;
  private volatile boolean frozen;
  private volatile boolean ready;

  ChatSession(
      Socket socket,
      boolean ready,
      ChatSettings settings,
      ChatStats stats,
      IdentityLedger ledger,
      Consumer<ChatSession> onClose)
      throws IOException {
    this.socket = socket;
    this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
    this.ready = ready;
    this.onClose = onClose;
    this.irc = new IrcDialogue(this, settings, stats, ledger);
  }

  /** Reads what the client sends until it goes, {@link #close}s or the session freezes. */
  protected abstract void read(InputStream in) throws IOException;

  /** The bytes that carry these CRLF-terminated lines on this kind of connection. */
  protected abstract byte[] frame(byte[] lines);

  /** Logged in, not closed and not frozen. */
  final boolean isLive() {
    return irc.loggedIn() && !closed.get() && !frozen;
  }

  final Set<String> joined() {
    return irc.joined();
  }

  final String nick() {
    return irc.nick();
  }

  /**
   * From now on nothing is read from or written to the socket, which stays open. Takes no lock: a
   * write blocked on a full socket would make the freezing thread hang too.
   */
  final void freeze() {
    frozen = true;
  }

  /** Writes the lines as one unit (one frame on WebSocket); false if nothing was written. */
  final boolean write(List<String> lines) {
    StringBuilder b = new StringBuilder();
    for (String line : lines) {
      // Twitch ends every line with CRLF, also the last one in a WebSocket frame.
      b.append(line).append("\r\n");
    }
    return writeBytes(frame(b.toString().getBytes(UTF_8)));
  }

  /**
   * Writes units of CRLF-terminated lines (one frame each on WebSocket) in one socket write; false
   * if nothing was written.
   */
  final boolean writeUnits(List<byte[]> units) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (byte[] unit : units) {
      all.writeBytes(frame(unit));
    }
    return writeBytes(all.toByteArray());
  }

  final void close(boolean abrupt) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (abrupt) {
      try {
        socket.setSoLinger(true, 0); // close then sends RST instead of FIN
      } catch (IOException ignored) {
        // The socket is going away either way.
      }
    }
    try {
      socket.close();
    } catch (IOException ignored) {
      // Closing is best effort; the peer may already be gone.
    }
    irc.closed();
    onClose.accept(this);
  }

  /** The reading thread's body. */
  final void run() {
    try {
      read(new BufferedInputStream(socket.getInputStream(), 16 * 1024));
    } catch (IOException e) {
      // Peer went away or sent garbage; handled below like end of stream.
    }
    // A frozen connection stays open with nobody reading it: that is the point of freezing.
    if (!frozen) {
      close(false);
    }
  }

  protected final boolean isClosed() {
    return closed.get();
  }

  protected final boolean isFrozen() {
    return frozen;
  }

  /** Hands a line from the client to the IRC conversation. */
  protected final void handle(String line) {
    irc.handle(line);
  }

  /** Writes already framed bytes once the session is ready; false if nothing was written. */
  protected final boolean writeBytes(byte[] bytes) {
    return send(bytes, false);
  }

  /** Writes a handshake answer, which comes before the session is ready; false on failure. */
  protected final boolean writeHandshake(byte[] bytes) {
    return send(bytes, true);
  }

  /** Lets framed writes through; WebSocket sessions call it once the upgrade is answered. */
  protected final void markReady() {
    ready = true;
  }

  private boolean send(byte[] bytes, boolean handshake) {
    synchronized (writeLock) {
      if (closed.get() || (!handshake && (!ready || frozen))) {
        return false;
      }
      try {
        out.write(bytes);
        out.flush();
        return true;
      } catch (IOException e) {
        close(false);
        return false;
      }
    }
  }
}
