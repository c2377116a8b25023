package dev.streamhighlights.simulator;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** The IRC and WebSocket ports on 127.0.0.1: accepts connections and keeps the open sessions. */
final class ChatPorts implements AutoCloseable {

  private final ServerSocket ircServer;
  private final ServerSocket wsServer;
  private final ChatSettings settings;
  private final ChatStats stats;
  private final IdentityLedger ledger;
  private final Set<ChatSession> sessions = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicInteger threadIds = new AtomicInteger();

  private ChatPorts(
      ServerSocket ircServer, ServerSocket wsServer, ChatSettings settings, ChatStats stats) {
    this.ircServer = ircServer;
    this.wsServer = wsServer;
    this.settings = settings;
    this.stats = stats;
    this.ledger = new IdentityLedger(settings);
  }

  /** Binds both ports to free port numbers and starts accepting on each. */
  static ChatPorts open(ChatSettings settings, ChatStats stats) throws IOException {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    ServerSocket irc = new ServerSocket();
    ServerSocket ws = new ServerSocket();
    try {
      irc.bind(new InetSocketAddress(loopback, 0), 50);
      ws.bind(new InetSocketAddress(loopback, 0), 50);
    } catch (IOException e) {
      closeQuietly(irc);
      closeQuietly(ws);
      throw e;
    }
    ChatPorts ports = new ChatPorts(irc, ws, settings, stats);
    ports.daemon("irc-accept").newThread(() -> ports.acceptLoop(irc, false)).start();
    ports.daemon("ws-accept").newThread(() -> ports.acceptLoop(ws, true)).start();
    return ports;
  }

  int ircPort() {
    return ircServer.getLocalPort();
  }

  int wsPort() {
    return wsServer.getLocalPort();
  }

  /** Every account's JOINs and channels held, across both ports. */
  IdentityLedger ledger() {
    return ledger;
  }

  /** The open sessions, logged in or not; a live view. */
  Set<ChatSession> sessions() {
    return sessions;
  }

  /** Daemon threads, so a test that forgets {@code close()} cannot keep the JVM alive. */
  ThreadFactory daemon(String role) {
    return r -> {
      Thread t = new Thread(r, "fake-twitch-" + role + "-" + threadIds.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Stops accepting and closes every session; safe to call twice. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    closeQuietly(ircServer);
    closeQuietly(wsServer);
    for (ChatSession s : sessions) {
      s.close(false);
    }
  }

  private void acceptLoop(ServerSocket server, boolean webSocket) {
    while (!closed.get()) {
      Socket socket;
      try {
        socket = server.accept();
      } catch (IOException e) {
        if (server.isClosed()) {
          return;
        }
        continue;
      }
      stats.connectionAccepted();
      ChatSession session;
      try {
        socket.setTcpNoDelay(true);
        session =
            webSocket
                ? new WebSocketChatSession(socket, settings, stats, ledger, sessions::remove)
                : new TcpChatSession(socket, settings, stats, ledger, sessions::remove);
      } catch (IOException e) {
        closeQuietly(socket);
        continue;
      }
      sessions.add(session);
      // close() may have run between accept() and add(); it would have missed this one.
      if (closed.get()) {
        session.close(false);
        return;
      }
      daemon(webSocket ? "ws" : "irc").newThread(session::run).start();
    }
  }

  private static void closeQuietly(Closeable c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // Closing is best effort; the peer may already be gone.
    }
  }
}
