package dev.streamhighlights.simulator;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The server side of the RFC 6455 opening handshake: an HTTP upgrade request in, 101 or 400 out.
 */
final class WebSocketHandshake {

  private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  private static final String BAD_REQUEST =
      "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

  /** The HTTP response to send; frames may follow only if {@code upgraded}. */
  record Reply(String response, boolean upgraded) {}

  private WebSocketHandshake() {}

  /** Reads the client's request and answers it; null if the stream ended before the request did. */
  static Reply answer(InputStream in) throws IOException {
    String requestLine = LineReader.readLine(in, ISO_8859_1);
    if (requestLine == null) {
      return null;
    }
    Map<String, String> headers = new HashMap<>();
    String header;
    while ((header = LineReader.readLine(in, ISO_8859_1)) != null && !header.isEmpty()) {
      int colon = header.indexOf(':');
      if (colon > 0) {
        headers.merge(
            header.substring(0, colon).trim().toLowerCase(Locale.ROOT),
            header.substring(colon + 1).trim(),
            (a, b) -> a + ", " + b);
      }
    }
    if (header == null) {
      return null;
    }
    String key = headers.get("sec-websocket-key");
    String upgrade = headers.get("upgrade");
    if (!requestLine.startsWith("GET ")
        || key == null
        || upgrade == null
        || !upgrade.toLowerCase(Locale.ROOT).contains("websocket")) {
      return new Reply(BAD_REQUEST, false);
    }
    StringBuilder response =
        new StringBuilder("HTTP/1.1 101 Switching Protocols\r\n")
            .append("Upgrade: websocket\r\n")
            .append("Connection: Upgrade\r\n")
            .append("Sec-WebSocket-Accept: ")
            .append(accept(key))
            .append("\r\n");
    String protocols = headers.get("sec-websocket-protocol");
    if (protocols != null && !protocols.isBlank()) {
      // Clients that offer subprotocols may refuse a reply that picks none.
      List<String> offered = List.of(protocols.split("\\s*,\\s*"));
      String chosen = offered.contains("irc") ? "irc" : offered.get(0).trim();
      response.append("Sec-WebSocket-Protocol: ").append(chosen).append("\r\n");
    }
    return new Reply(response.append("\r\n").toString(), true);
  }

  /** The {@code Sec-WebSocket-Accept} value that proves the server read the client's key. */
  static String accept(String key) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      return Base64.getEncoder().encodeToString(sha1.digest((key + GUID).getBytes(ISO_8859_1)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-1", e);
    }
  }
}
