package dev.streamhighlights.simulator;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class WebSocketHandshakeTest {

  @Test
  void acceptKeyIsTheOneInRfc6455() {
    assertThat(WebSocketHandshake.accept("dGhlIHNhbXBsZSBub25jZQ=="))
        .isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
  }

  @Test
  void upgradesAndPicksIrcAmongOfferedSubprotocols() throws Exception {
    InputStream in =
        stream(
            "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: WebSocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Protocol: chat, irc\r\n\r\nFRAMES");

    WebSocketHandshake.Reply reply = WebSocketHandshake.answer(in);

    assertThat(reply.upgraded()).isTrue();
    assertThat(reply.response())
        .startsWith("HTTP/1.1 101 Switching Protocols\r\n")
        .contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n")
        .contains("Sec-WebSocket-Protocol: irc\r\n")
        .endsWith("\r\n\r\n");
    assertThat(new String(in.readAllBytes(), ISO_8859_1)).isEqualTo("FRAMES");
  }

  @Test
  void refusesARequestWithoutUpgrade() throws Exception {
    WebSocketHandshake.Reply reply =
        WebSocketHandshake.answer(stream("GET / HTTP/1.1\r\nSec-WebSocket-Key: abc\r\n\r\n"));

    assertThat(reply.upgraded()).isFalse();
    assertThat(reply.response()).startsWith("HTTP/1.1 400 Bad Request\r\n");
  }

  @Test
  void answersNothingWhenTheRequestIsCutShort() throws Exception {
    assertThat(WebSocketHandshake.answer(stream("GET / HTTP/1.1\r\nUpgrade: websocket\r\n")))
        .isNull();
  }

  private static InputStream stream(String text) {
    return new ByteArrayInputStream(text.getBytes(ISO_8859_1));
  }
}
