package dev.streamhighlights.simulator;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.util.function.Consumer;

/** A chat connection on the plain IRC port: CRLF-terminated lines straight on the socket. */
final class TcpChatSession extends ChatSession {

  TcpChatSession(
      Socket socket,
      ChatSettings settings,
      ChatStats stats,
      IdentityLedger ledger,
      Consumer<ChatSession> onClose)
      throws IOException {
    super(socket, true, settings, stats, ledger, onClose);
  }

  @Override
  protected void read(InputStream in) throws IOException {
    String line;
    while (!isClosed() && (line = LineReader.readLine(in, UTF_8)) != null) {
      if (isFrozen()) {
        return;
      }
      if (!line.isEmpty()) {
        handle(line);
      }
    }
  }

  @Override
  protected byte[] frame(byte[] lines) {
    return lines;
  }
}
