package dev.streamhighlights.simulator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;

/** Reads LF-terminated lines from a client, for plain IRC and the WebSocket handshake. */
final class LineReader {

  static final int MAX_LINE_BYTES = 64 * 1024;

  private LineReader() {}

  /**
   * One line without its LF (and CR); null at end of stream, where a partial line is not a line.
   * Reads byte by byte, never ahead, so the WebSocket frames after a handshake stay in the stream.
   */
  static String readLine(InputStream in, Charset charset) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream(256);
    int b;
    while ((b = in.read()) != -1) {
      if (b == '\n') {
        byte[] bytes = buf.toByteArray();
        int len = bytes.length;
        if (len > 0 && bytes[len - 1] == '\r') {
          len--;
        }
        return new String(bytes, 0, len, charset);
      }
      if (buf.size() >= MAX_LINE_BYTES) {
        throw new IOException("line longer than " + MAX_LINE_BYTES + " bytes");
      }
      buf.write(b);
    }
    return null;
  }
}
