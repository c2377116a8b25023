package dev.streamhighlights.irc.protocol;

import java.nio.charset.StandardCharsets;

/**
 * A parsed Twitch IRC line, filled in place by {@link #parse}: a reusable, allocation-free view
 * over the line's bytes that keeps only what the job needs (command, channel, a few tags). Message
 * text is never looked at.
 *
 * <p>Grammar (IRCv3 with Twitch tags): {@code ['@' tags ' '] [':' prefix ' '] command [' ' params]}
 * where the channel, when there is one, is the first parameter and starts with '#'.
 */
public final class TwitchLine {

  /** The commands the source acts on; everything else is {@link #OTHER}. */
  public enum Command {
    PRIVMSG,
    USERNOTICE,
    PING,
    PONG,
    RECONNECT,
    NOTICE,
    ROOMSTATE,
    JOIN,
    PART,
    WELCOME, // 001
    CAP,
    OTHER
  }

  private static final byte[] TMI_SENT_TS = ascii("tmi-sent-ts=");
  private static final byte[] ROOM_ID = ascii("room-id=");
  private static final byte[] SOURCE_ROOM_ID = ascii("source-room-id=");
  private static final byte[] ID = ascii("id=");

  private byte[] buf;
  private Command command;
  private long tmiSentTs;
  private int channelStart;
  private int channelEnd;
  private int roomIdStart;
  private int roomIdEnd;
  private int sourceRoomIdStart;
  private int sourceRoomIdEnd;
  private int idStart;
  private int idEnd;
  private int paramsStart;
  private int end;

  /**
   * Parses {@code buf[from, to)} (without CR LF). Returns false when the line is malformed: no
   * command, a tag section without its end, a non-numeric {@code tmi-sent-ts}, or a chat command
   * without a channel.
   */
  public boolean parse(byte[] buf, int from, int to) {
    this.buf = buf;
    this.end = to;
    command = Command.OTHER;
    tmiSentTs = -1;
    channelStart = channelEnd = roomIdStart = roomIdEnd = -1;
    sourceRoomIdStart = sourceRoomIdEnd = idStart = idEnd = -1;
    paramsStart = to;
    int i = from;
    if (i < to && buf[i] == '@') {
      i = parseTags(i + 1, to);
      if (i < 0) {
        return false;
      }
    }
    if (i < to && buf[i] == ':') {
      int space = Bytes.indexOf(buf, i, to, (byte) ' ');
      i = skipSpaces(space < 0 ? to : space, to);
    }
    int cmdStart = i;
    while (i < to && buf[i] != ' ') {
      i++;
    }
    if (i == cmdStart) {
      return false;
    }
    command = command(cmdStart, i);
    i = skipSpaces(i, to);
    paramsStart = i;
    if (i < to && buf[i] == '#') {
      int s = i + 1;
      while (i < to && buf[i] != ' ') {
        i++;
      }
      channelStart = s;
      channelEnd = i;
    }
    if ((command == Command.PRIVMSG || command == Command.USERNOTICE)
        && (channelStart < 0 || channelEnd == channelStart)) {
      return false;
    }
    return true;
  }

  /** Parses a line given as text (WebSocket frames, tests). */
  public boolean parse(String line) {
    byte[] b = line.getBytes(StandardCharsets.UTF_8);
    return parse(b, 0, b.length);
  }

  /**
   * Reads the tags from {@code i} (after the '@') and returns where the rest of the line starts, or
   * -1 when the tag section does not end. Tag values never hold ';' or ' ' (Twitch escapes them),
   * so the section ends at the first space and tags split at ';'.
   */
  private int parseTags(int i, int to) {
    while (true) {
      // One pass over the section: the next ';' ends a tag, the first ' ' the section.
      int end = Bytes.indexOfEither(buf, i, to, (byte) ';', (byte) ' ');
      if (end < 0) {
        return -1;
      }
      if (!tag(i, end)) {
        return -1;
      }
      if (buf[end] == ' ') {
        return skipSpaces(end, to);
      }
      i = end + 1;
    }
  }

  /** One {@code key=value} tag in {@code buf[s, e)}; only the few keys the job needs are read. */
  private boolean tag(int s, int e) {
    switch (buf[s]) {
      case 't':
        if (startsWith(s, e, TMI_SENT_TS)) {
          return timestamp(s + TMI_SENT_TS.length, e);
        }
        break;
      case 'r':
        if (startsWith(s, e, ROOM_ID)) {
          roomIdStart = s + ROOM_ID.length;
          roomIdEnd = e;
        }
        break;
      case 's':
        if (startsWith(s, e, SOURCE_ROOM_ID)) {
          sourceRoomIdStart = s + SOURCE_ROOM_ID.length;
          sourceRoomIdEnd = e;
        }
        break;
      case 'i':
        if (startsWith(s, e, ID)) {
          idStart = s + ID.length;
          idEnd = e;
        }
        break;
      default:
        break;
    }
    return true;
  }

  private boolean timestamp(int s, int e) {
    if (e == s || e - s > 18) {
      return false;
    }
    long v = 0;
    for (int k = s; k < e; k++) {
      int d = buf[k] - '0';
      if (d < 0 || d > 9) {
        return false;
      }
      v = v * 10 + d;
    }
    tmiSentTs = v;
    return true;
  }

  /** Whether {@code buf[s, e)} starts with {@code key} (which includes its '='). */
  private boolean startsWith(int s, int e, byte[] key) {
    if (e - s < key.length) {
      return false;
    }
    for (int k = 0; k < key.length; k++) {
      if (buf[s + k] != key[k]) {
        return false;
      }
    }
    return true;
  }

  private Command command(int s, int e) {
    int len = e - s;
    switch (buf[s]) {
      case 'P':
        if (len == 7 && is(s, "PRIVMSG")) {
          return Command.PRIVMSG;
        } else if (len == 4 && is(s, "PING")) {
          return Command.PING;
        } else if (len == 4 && is(s, "PONG")) {
          return Command.PONG;
        } else if (len == 4 && is(s, "PART")) {
          return Command.PART;
        }
        break;
      case 'U':
        if (len == 10 && is(s, "USERNOTICE")) {
          return Command.USERNOTICE;
        }
        break;
      case 'R':
        if (len == 9 && is(s, "RECONNECT")) {
          return Command.RECONNECT;
        } else if (len == 9 && is(s, "ROOMSTATE")) {
          return Command.ROOMSTATE;
        }
        break;
      case 'N':
        if (len == 6 && is(s, "NOTICE")) {
          return Command.NOTICE;
        }
        break;
      case 'J':
        if (len == 4 && is(s, "JOIN")) {
          return Command.JOIN;
        }
        break;
      case 'C':
        if (len == 3 && is(s, "CAP")) {
          return Command.CAP;
        }
        break;
      case '0':
        if (len == 3 && is(s, "001")) {
          return Command.WELCOME;
        }
        break;
      default:
        break;
    }
    return Command.OTHER;
  }

  private boolean is(int s, String word) {
    for (int k = 0; k < word.length(); k++) {
      if (buf[s + k] != word.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  private int skipSpaces(int i, int to) {
    while (i < to && buf[i] == ' ') {
      i++;
    }
    return i;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  public Command command() {
    return command;
  }

  /** {@code tmi-sent-ts} in epoch ms, or -1 when the line has none. */
  public long tmiSentTs() {
    return tmiSentTs;
  }

  public boolean hasChannel() {
    return channelStart >= 0;
  }

  /**
   * The channel's bytes are {@code buf[channelStart(), channelEnd())} of the buffer given to {@link
   * #parse}, without the '#'.
   */
  public int channelStart() {
    return channelStart;
  }

  public int channelEnd() {
    return channelEnd;
  }

  public String channel() {
    return channelStart < 0 ? null : text(channelStart, channelEnd);
  }

  public String roomId() {
    return roomIdStart < 0 ? null : text(roomIdStart, roomIdEnd);
  }

  public String messageId() {
    return idStart < 0 ? null : text(idStart, idEnd);
  }

  /**
   * Whether this is a Shared Chat copy: a message sent in another channel of a shared session,
   * shown here too. It is counted once, in the channel it was sent to.
   */
  public boolean isSharedChatCopy() {
    if (sourceRoomIdStart < 0 || sourceRoomIdEnd == sourceRoomIdStart) {
      return false;
    }
    int len = sourceRoomIdEnd - sourceRoomIdStart;
    if (roomIdStart < 0 || roomIdEnd - roomIdStart != len) {
      return true;
    }
    for (int k = 0; k < len; k++) {
      if (buf[sourceRoomIdStart + k] != buf[roomIdStart + k]) {
        return true;
      }
    }
    return false;
  }

  /** The parameters after the command (e.g. the PING token or the NOTICE text). */
  public String params() {
    return text(paramsStart, end);
  }

  private String text(int s, int e) {
    return new String(buf, s, e - s, StandardCharsets.UTF_8);
  }
}
