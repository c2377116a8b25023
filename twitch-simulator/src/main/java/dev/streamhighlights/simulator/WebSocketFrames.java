package dev.streamhighlights.simulator;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/** RFC 6455 framing as a server sees it: masked frames from the client, unmasked frames to it. */
final class WebSocketFrames {

  static final int OP_CONTINUATION = 0x0;
  static final int OP_TEXT = 0x1;
  static final int OP_BINARY = 0x2;
  static final int OP_CLOSE = 0x8;
  static final int OP_PING = 0x9;
  static final int OP_PONG = 0xA;

  static final int PROTOCOL_ERROR = 1002;
  static final int MESSAGE_TOO_BIG = 1009;

  /** One frame with its payload already unmasked. */
  record Frame(boolean fin, int opcode, byte[] payload) {}

  /** A frame the server must answer by closing the connection with {@code status}. */
  static final class Violation extends Exception {
    private final int status;

    Violation(int status) {
      super("close status " + status);
      this.status = status;
    }

    int status() {
      return status;
    }
  }

  private WebSocketFrames() {}

  /**
   * Reads one client frame; null at end of stream between frames.
   *
   * @throws Violation for an unmasked frame (RFC 6455 5.1) or one longer than {@code maxPayload}
   * @throws EOFException when the stream ends inside a frame
   */
  static Frame read(InputStream in, long maxPayload) throws IOException, Violation {
    int b0 = in.read();
    int b1 = b0 < 0 ? -1 : in.read();
    if (b1 < 0) {
      return null;
    }
    long len = b1 & 0x7F;
    if (len == 126) {
      len = bigEndian(readFully(in, 2));
    } else if (len == 127) {
      len = bigEndian(readFully(in, 8)); // negative if the top bit is set
    }
    if ((b1 & 0x80) == 0) {
      throw new Violation(PROTOCOL_ERROR);
    }
    if (len < 0 || len > maxPayload) {
      throw new Violation(MESSAGE_TOO_BIG);
    }
    byte[] mask = readFully(in, 4);
    byte[] payload = readFully(in, (int) len);
    for (int i = 0; i < payload.length; i++) {
      payload[i] ^= mask[i & 3];
    }
    return new Frame((b0 & 0x80) != 0, b0 & 0x0F, payload);
  }

  /** One final server frame; never masked, as RFC 6455 5.1 requires of servers. */
  static byte[] encode(int opcode, byte[] payload) {
    ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 10);
    frame.write(0x80 | opcode);
    int len = payload.length;
    if (len <= 125) {
      frame.write(len);
    } else if (len <= 0xFFFF) {
      frame.write(126);
      frame.write(len >>> 8);
      frame.write(len);
    } else {
      frame.write(127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        frame.write((int) ((long) len >>> shift));
      }
    }
    frame.writeBytes(payload);
    return frame.toByteArray();
  }

  /** The payload of a close frame carrying {@code status}. */
  static byte[] closePayload(int status) {
    return new byte[] {(byte) (status >>> 8), (byte) status};
  }

  private static long bigEndian(byte[] bytes) {
    long value = 0;
    for (byte b : bytes) {
      value = (value << 8) | (b & 0xFF);
    }
    return value;
  }

  private static byte[] readFully(InputStream in, int n) throws IOException {
    byte[] bytes = in.readNBytes(n);
    if (bytes.length < n) {
      throw new EOFException();
    }
    return bytes;
  }
}
