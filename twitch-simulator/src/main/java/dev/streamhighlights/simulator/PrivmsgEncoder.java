package dev.streamhighlights.simulator;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.Arrays;

/**
 * Encodes {@link ChatLines#privmsg(String, String, long, String, long, java.util.UUID)} lines
 * straight into bytes for one timestamp, byte for byte the same, without a String per line: the
 * parts that depend only on the viewer or the channel are encoded once. A bulk send needs it to
 * offer a million messages a second from one core. Not thread-safe.
 */
final class PrivmsgEncoder {

  private static final int VIEWERS = 50;
  private static final byte[] HEX = "0123456789abcdef".getBytes(US_ASCII);
  private static final byte[] MESSAGE = " :message ".getBytes(US_ASCII);

  /** Per viewer: the tags before the id. */
  private final byte[][] beforeId = new byte[VIEWERS][];

  /** Per viewer: user-id to the PRIVMSG command, up to the channel name. */
  private final byte[][] afterTs = new byte[VIEWERS][];

  private final byte[] timestamp;

  private byte[] buf = new byte[8192];
  private int size;

  PrivmsgEncoder(long tmiSentTs) {
    for (int i = 0; i < VIEWERS; i++) {
      int viewer = i + 1;
      String login = "viewer" + viewer;
      beforeId[i] =
          ("@badge-info=;badges=;color=#1E90FF;display-name=Viewer"
                  + viewer
                  + ";emotes=;first-msg=0;flags=;id=")
              .getBytes(US_ASCII);
      afterTs[i] =
          (";turbo=0;user-id="
                  + (500_000 + viewer)
                  + ";user-type= :"
                  + login
                  + '!'
                  + login
                  + '@'
                  + login
                  + ".tmi.twitch.tv PRIVMSG #")
              .getBytes(US_ASCII);
    }
    timestamp = (";subscriber=0;tmi-sent-ts=" + tmiSentTs).getBytes(US_ASCII);
  }

  /** A channel's constant parts, encoded once per channel and send. */
  static final class Channel {
    final byte[] roomTag;
    final byte[] name;

    Channel(String channel, String roomId) {
      this.roomTag = (";mod=0;returning-chatter=0;room-id=" + roomId).getBytes(UTF_8);
      this.name = channel.getBytes(UTF_8);
    }
  }

  /** Appends one line and its CRLF; the id is the UUID {@code (idHigh, idLow)}. */
  void append(Channel channel, long seq, long idHigh, long idLow) {
    int viewer = (int) (seq % VIEWERS);
    ensure(600 + channel.roomTag.length + channel.name.length);
    put(beforeId[viewer]);
    uuid(idHigh, idLow);
    put(channel.roomTag);
    put(timestamp);
    put(afterTs[viewer]);
    put(channel.name);
    put(MESSAGE);
    decimal(seq);
    buf[size++] = '\r';
    buf[size++] = '\n';
  }

  /** The lines appended since the last call, and a fresh start. */
  byte[] take() {
    byte[] out = Arrays.copyOf(buf, size);
    size = 0;
    return out;
  }

  private void ensure(int more) {
    if (size + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
    }
  }

  private void put(byte[] b) {
    System.arraycopy(b, 0, buf, size, b.length);
    size += b.length;
  }

  /** As {@link java.util.UUID#toString()}: 8-4-4-4-12 lower-case hex digits. */
  private void uuid(long high, long low) {
    hex(high >>> 32, 8);
    buf[size++] = '-';
    hex(high >>> 16, 4);
    buf[size++] = '-';
    hex(high, 4);
    buf[size++] = '-';
    hex(low >>> 48, 4);
    buf[size++] = '-';
    hex(low, 12);
  }

  private void hex(long value, int digits) {
    for (int i = digits - 1; i >= 0; i--) {
      buf[size + i] = HEX[(int) (value & 0xf)];
      value >>>= 4;
    }
    size += digits;
  }

  private void decimal(long value) {
    if (value < 0) {
      put(Long.toString(value).getBytes(US_ASCII));
      return;
    }
    int digits = 1;
    for (long v = value / 10; v > 0; v /= 10) {
      digits++;
    }
    for (int i = digits - 1; i >= 0; i--) {
      buf[size + i] = (byte) ('0' + value % 10);
      value /= 10;
    }
    size += digits;
  }
}
