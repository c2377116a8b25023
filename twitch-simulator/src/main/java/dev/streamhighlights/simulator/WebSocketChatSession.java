package dev.streamhighlights.simulator;

import static dev.streamhighlights.simulator.WebSocketFrames.OP_BINARY;
import static dev.streamhighlights.simulator.WebSocketFrames.OP_CLOSE;
import static dev.streamhighlights.simulator.WebSocketFrames.OP_CONTINUATION;
import static dev.streamhighlights.simulator.WebSocketFrames.OP_PING;
import static dev.streamhighlights.simulator.WebSocketFrames.OP_PONG;
import static dev.streamhighlights.simulator.WebSocketFrames.OP_TEXT;
import static dev.streamhighlights.simulator.WebSocketFrames.PROTOCOL_ERROR;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.util.function.Consumer;

/** A chat connection on the WebSocket port: an HTTP upgrade, then IRC lines in text frames. */
final class WebSocketChatSession extends ChatSession {

  private static final long MAX_PAYLOAD = 16L * 1024 * 1024;

  WebSocketChatSession(
      Socket socket,
      ChatSettings settings,
      ChatStats stats,
      IdentityLedger ledger,
      Consumer<ChatSession> onClose)
      throws IOException {
    // Not ready: chat lines must not reach the client before the handshake answer.
    super(socket, false, settings, stats, ledger, onClose);
  }

  @Override
  protected void read(InputStream in) throws IOException {
    WebSocketHandshake.Reply reply = WebSocketHandshake.answer(in);
    if (reply == null
        || !writeHandshake(reply.response().getBytes(ISO_8859_1))
        || !reply.upgraded()) {
      return;
    }
    markReady();
    readFrames(in);
  }

  @Override
  protected byte[] frame(byte[] lines) {
    return WebSocketFrames.encode(OP_TEXT, lines);
  }

  private void readFrames(InputStream in) throws IOException {
    ByteArrayOutputStream message = null; // a text message being joined from its fragments
    while (!isClosed()) {
      WebSocketFrames.Frame frame;
      try {
        frame = WebSocketFrames.read(in, MAX_PAYLOAD);
      } catch (WebSocketFrames.Violation v) {
        closeWith(v.status());
        return;
      }
      if (frame == null || isFrozen()) {
        return;
      }
      byte[] payload = frame.payload();
      switch (frame.opcode()) {
        case OP_TEXT, OP_BINARY -> {
          message = new ByteArrayOutputStream(payload.length);
          message.writeBytes(payload);
        }
        case OP_CONTINUATION -> {
          if (message == null) {
            closeWith(PROTOCOL_ERROR);
            return;
          }
          message.writeBytes(payload);
        }
        case OP_CLOSE -> {
          // Echo the status code, as RFC 6455 5.5.1 asks, then hang up.
          byte[] status = payload.length >= 2 ? new byte[] {payload[0], payload[1]} : new byte[0];
          writeBytes(WebSocketFrames.encode(OP_CLOSE, status));
          close(false);
          return;
        }
        case OP_PING -> {
          writeBytes(WebSocketFrames.encode(OP_PONG, payload));
          continue;
        }
        case OP_PONG -> {
          continue;
        }
        default -> {
          closeWith(PROTOCOL_ERROR);
          return;
        }
      }
      if (frame.fin()) {
        String text = message.toString(UTF_8);
        message = null;
        if (!handleLines(text)) {
          return;
        }
      }
    }
  }

  /** A message may carry several lines, the last without CRLF; false once the session stopped. */
  private boolean handleLines(String text) {
    for (String line : text.split("\r?\n")) {
      if (isClosed() || isFrozen()) {
        return false;
      }
      if (!line.isEmpty()) {
        handle(line);
      }
    }
    return true;
  }

  private void closeWith(int status) {
    writeBytes(WebSocketFrames.encode(OP_CLOSE, WebSocketFrames.closePayload(status)));
    close(false);
  }
}
