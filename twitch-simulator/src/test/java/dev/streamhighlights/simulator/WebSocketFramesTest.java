package dev.streamhighlights.simulator;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class WebSocketFramesTest {

  private static final byte[] MASK = {0x37, (byte) 0xFA, 0x21, 0x3D};

  @Test
  void unmasksAClientTextFrame() throws Exception {
    // RFC 6455 5.7: a masked "Hello".
    byte[] wire = {
      (byte) 0x81, (byte) 0x85, 0x37, (byte) 0xFA, 0x21, 0x3D, 0x7F, (byte) 0x9F, 0x4D, 0x51, 0x58
    };

    WebSocketFrames.Frame frame = WebSocketFrames.read(new ByteArrayInputStream(wire), 1024);

    assertThat(frame.fin()).isTrue();
    assertThat(frame.opcode()).isEqualTo(WebSocketFrames.OP_TEXT);
    assertThat(new String(frame.payload(), UTF_8)).isEqualTo("Hello");
  }

  @Test
  void readsSixteenAndSixtyFourBitLengths() throws Exception {
    for (int length : new int[] {125, 126, 0xFFFF, 0x10000}) {
      byte[] payload = new byte[length];
      Arrays.fill(payload, (byte) 'x');

      WebSocketFrames.Frame frame =
          WebSocketFrames.read(new ByteArrayInputStream(clientFrame(0x2, false, payload)), 1 << 20);

      assertThat(frame.fin()).isFalse();
      assertThat(frame.opcode()).isEqualTo(WebSocketFrames.OP_BINARY);
      assertThat(frame.payload()).isEqualTo(payload);
    }
  }

  @Test
  void returnsNullAtEndOfStreamBetweenFrames() throws Exception {
    assertThat(WebSocketFrames.read(new ByteArrayInputStream(new byte[0]), 1024)).isNull();
  }

  @Test
  void failsWhenTheStreamEndsInsideAFrame() {
    byte[] frame = clientFrame(0x1, true, "Hello".getBytes(UTF_8));
    byte[] cut = Arrays.copyOf(frame, frame.length - 1);

    assertThatThrownBy(() -> WebSocketFrames.read(new ByteArrayInputStream(cut), 1024))
        .isInstanceOf(EOFException.class);
  }

  @Test
  void refusesAnUnmaskedClientFrameAsAProtocolError() {
    byte[] unmasked = WebSocketFrames.encode(WebSocketFrames.OP_TEXT, "Hello".getBytes(UTF_8));

    assertThatThrownBy(() -> WebSocketFrames.read(new ByteArrayInputStream(unmasked), 1024))
        .isInstanceOfSatisfying(
            WebSocketFrames.Violation.class,
            v -> assertThat(v.status()).isEqualTo(WebSocketFrames.PROTOCOL_ERROR));
  }

  @Test
  void refusesAPayloadOverTheLimitBeforeReadingIt() {
    byte[] header = Arrays.copyOf(clientFrame(0x1, true, new byte[2000]), 8);

    assertThatThrownBy(() -> WebSocketFrames.read(new ByteArrayInputStream(header), 1024))
        .isInstanceOfSatisfying(
            WebSocketFrames.Violation.class,
            v -> assertThat(v.status()).isEqualTo(WebSocketFrames.MESSAGE_TOO_BIG));
  }

  @Test
  void encodesUnmaskedFinalFramesWithTheShortestLengthForm() {
    assertThat(header(WebSocketFrames.encode(WebSocketFrames.OP_TEXT, new byte[125]), 2))
        .containsExactly(0x81, 125);
    assertThat(header(WebSocketFrames.encode(WebSocketFrames.OP_TEXT, new byte[126]), 4))
        .containsExactly(0x81, 126, 0x00, 126);
    assertThat(header(WebSocketFrames.encode(WebSocketFrames.OP_PONG, new byte[0x10000]), 10))
        .containsExactly(0x8A, 127, 0, 0, 0, 0, 0, 0x01, 0x00, 0x00);
    assertThat(WebSocketFrames.encode(WebSocketFrames.OP_TEXT, new byte[0x10000]))
        .hasSize(10 + 0x10000);
  }

  @Test
  void closePayloadIsTheStatusBigEndian() {
    assertThat(WebSocketFrames.closePayload(1009)).containsExactly(0x03, (byte) 0xF1);
  }

  /** A frame as a client sends it: masked, with the shortest length form. */
  private static byte[] clientFrame(int opcode, boolean fin, byte[] payload) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write((fin ? 0x80 : 0) | opcode);
    if (payload.length <= 125) {
      out.write(0x80 | payload.length);
    } else if (payload.length <= 0xFFFF) {
      out.write(0x80 | 126);
      out.write(payload.length >>> 8);
      out.write(payload.length);
    } else {
      out.write(0x80 | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        out.write((int) ((long) payload.length >>> shift));
      }
    }
    out.writeBytes(MASK);
    for (int i = 0; i < payload.length; i++) {
      out.write(payload[i] ^ MASK[i & 3]);
    }
    return out.toByteArray();
  }

  private static int[] header(byte[] frame, int n) {
    int[] header = new int[n];
    for (int i = 0; i < n; i++) {
      header[i] = frame[i] & 0xFF;
    }
    return header;
  }
}
