package dev.streamhighlights.job.backtest;

import dev.streamhighlights.irc.model.ChatMessage;
import dev.streamhighlights.job.kafka.ChatRecords;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * A recorded chat log ({@code channel,epoch_millis} CSV, gzip when the name ends in .gz), read and
 * sorted by event time so one watermark serves every channel. Malformed rows, and rows whose time
 * is more than {@link ChatRecords#MAX_AHEAD_OF_CLOCK_MILLIS} ahead of the clock (a broken clock or
 * an 18-digit time: it would open a window years ahead and stretch the log's hours of chat), are
 * counted and skipped, with the first few line numbers and the reason kept for the report.
 *
 * <p>The rows are read as bytes straight into {@link ChatColumns} (a channel name is decoded once,
 * the first time it is seen): a log of 5 million rows is read in about a second instead of making a
 * string and a message object per row. A row that is not the plain {@code name,digits} form
 * (spaces, a sign, a second comma, ...) is decoded and judged as text, by the same rules as before.
 *
 * @param chat the messages, sorted by event time (rows of the same time in file order)
 * @param malformedRows rows skipped, blank lines not counted
 * @param malformedSamples the first few skipped rows' line numbers, with the reason when it is not
 *     the row's form
 */
public record ChatLog(ChatColumns chat, long malformedRows, List<String> malformedSamples) {

  static final String HEADER = "channel,epoch_millis";
  private static final int SAMPLES = 5;

  /** The messages as objects, made as they are read from the list. */
  public List<ChatMessage> messages() {
    return chat.asList();
  }

  public static ChatLog read(Path file) {
    try (InputStream raw = Files.newInputStream(file);
        InputStream in =
            file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw) {
      return new Parser(file, System.currentTimeMillis() + ChatRecords.MAX_AHEAD_OF_CLOCK_MILLIS)
          .parse(in);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(file + " does not exist");
    } catch (IOException e) {
      throw new IllegalArgumentException(file + " cannot be read: " + e.getMessage());
    }
  }

  /** Parses one row as text, or returns null when it is malformed. */
  static ChatMessage parseRow(String line) {
    int comma = line.indexOf(',');
    if (comma <= 0 || line.indexOf(',', comma + 1) >= 0) {
      return null;
    }
    String channel = line.substring(0, comma).trim();
    long millis;
    try {
      millis = Long.parseLong(line.substring(comma + 1).trim());
    } catch (NumberFormatException e) {
      return null;
    }
    if (channel.isEmpty() || millis < 0) {
      return null;
    }
    // Recorded logs carry no room id; the channel name stands in for it.
    return new ChatMessage(channel, channel, millis);
  }

  private static String stripBom(String s) {
    return s.startsWith("\uFEFF") ? s.substring(1) : s;
  }

  /** One pass over the bytes: lines, rows, channel names, columns. */
  private static final class Parser {

    private final Path file;
    private final long latest;
    private final ChannelNames names = new ChannelNames();
    private final List<String> samples = new ArrayList<>();
    private long malformed;
    private long lineNumber;
    private int[] channels = new int[1 << 16];
    private long[] times = new long[1 << 16];
    private int size;
    private boolean sorted = true;

    Parser(Path file, long latest) {
      this.file = file;
      this.latest = latest;
    }

    ChatLog parse(InputStream in) throws IOException {
      byte[] buf = new byte[1 << 16];
      int start = 0; // the current line's first byte
      int scan = 0; // where the search for its end goes on
      int limit = 0; // bytes in buf
      boolean skipLineFeed = false; // the last line ended with CR: a LF right after it is its end
      boolean any = false;
      while (true) {
        int read = in.read(buf, limit, buf.length - limit);
        if (read < 0) {
          break;
        }
        any |= read > 0;
        limit += read;
        if (skipLineFeed && start < limit) {
          if (buf[start] == '\n') {
            start++;
            scan = start;
          }
          skipLineFeed = false;
        }
        for (int i = scan; i < limit; i++) {
          byte b = buf[i];
          if (b == '\n' || b == '\r') {
            line(buf, start, i);
            start = i + 1;
            if (b == '\r') {
              if (start < limit) {
                if (buf[start] == '\n') {
                  start++;
                  i++;
                }
              } else {
                skipLineFeed = true;
              }
            }
          }
        }
        // Keep the unfinished line: move it to the front, or make room for a long one.
        if (start > 0) {
          System.arraycopy(buf, start, buf, 0, limit - start);
          limit -= start;
          start = 0;
        } else if (limit == buf.length) {
          buf = Arrays.copyOf(buf, buf.length * 2);
        }
        scan = limit;
      }
      if (start < limit) {
        line(buf, start, limit);
      }
      if (!any) {
        throw new IllegalArgumentException(
            file + " is empty: a chat log starts with the header '" + HEADER + "'");
      }
      return new ChatLog(columns(), malformed, List.copyOf(samples));
    }

    private void line(byte[] buf, int from, int to) {
      lineNumber++;
      if (lineNumber == 1) {
        String header = new String(buf, from, to - from, StandardCharsets.UTF_8);
        if (!HEADER.equals(stripBom(header).trim())) {
          throw new IllegalArgumentException(
              file + " must start with the header '" + HEADER + "', not '" + header + "'");
        }
        return;
      }
      int comma = -1;
      for (int p = from; p < to; p++) {
        int b = buf[p] & 0xff;
        if (b == ',') {
          comma = p;
          break;
        }
        if (b <= ' ') {
          break; // spaces or control characters: judged as text
        }
      }
      int digits = comma < 0 ? 0 : to - comma - 1;
      long millis = 0;
      if (comma > from && digits > 0 && digits <= 18) {
        for (int p = comma + 1; p < to; p++) {
          int d = buf[p] - '0';
          if (d < 0 || d > 9) {
            millis = -1;
            break;
          }
          millis = millis * 10 + d;
        }
      } else {
        millis = -1;
      }
      int channel;
      if (millis >= 0) {
        channel = names.index(buf, from, comma);
      } else {
        String text = new String(buf, from, to - from, StandardCharsets.UTF_8);
        ChatMessage m = parseRow(text);
        if (m == null) {
          if (!text.isBlank()) {
            skip("line " + lineNumber);
          }
          return;
        }
        byte[] name = m.channel().getBytes(StandardCharsets.UTF_8);
        channel = names.index(name, 0, name.length);
        millis = m.eventTime();
      }
      if (millis > latest) {
        skip("line " + lineNumber + " (time in the future)");
        return;
      }
      if (size == times.length) {
        times = Arrays.copyOf(times, size * 2);
        channels = Arrays.copyOf(channels, size * 2);
      }
      if (size > 0 && millis < times[size - 1]) {
        sorted = false;
      }
      channels[size] = channel;
      times[size] = millis;
      size++;
    }

    private void skip(String sample) {
      malformed++;
      if (samples.size() < SAMPLES) {
        samples.add(sample);
      }
    }

    /** The rows sorted by time, rows of the same time in file order. */
    private ChatColumns columns() {
      int[] c = Arrays.copyOf(channels, size);
      long[] t = Arrays.copyOf(times, size);
      if (!sorted) {
        sort(c, t);
      }
      String[] n = names.names();
      return new ChatColumns(n, n, c, t);
    }
  }

  /**
   * Sorts by time, stable: as one array of (time since the first, row) keys when the log spans less
   * than 49 days, else through boxed indexes.
   */
  static void sort(int[] channels, long[] times) {
    int n = times.length;
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (long t : times) {
      min = Math.min(min, t);
      max = Math.max(max, t);
    }
    int[] channelsBefore = channels.clone();
    long[] timesBefore = times.clone();
    if (n > 0 && max - min < 1L << 32) {
      long[] keys = new long[n];
      for (int i = 0; i < n; i++) {
        keys[i] = (times[i] - min) << 31 | i;
      }
      Arrays.sort(keys);
      for (int j = 0; j < n; j++) {
        int i = (int) (keys[j] & 0x7fff_ffffL);
        channels[j] = channelsBefore[i];
        times[j] = timesBefore[i];
      }
    } else {
      Integer[] order = new Integer[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      Arrays.sort(order, (a, b) -> Long.compare(timesBefore[a], timesBefore[b]));
      for (int j = 0; j < n; j++) {
        channels[j] = channelsBefore[order[j]];
        times[j] = timesBefore[order[j]];
      }
    }
  }

  /**
   * Channel names by their bytes, each decoded once: an open-addressing table of the byte strings
   * seen. Byte strings that decode to the same name (invalid UTF-8) share its index.
   */
  private static final class ChannelNames {
    private final List<byte[]> keys = new ArrayList<>();
    private final List<Integer> keyChannel = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private final Map<String, Integer> byName = new HashMap<>();
    private int[] table = new int[1 << 10]; // key number + 1; 0 is empty

    int index(byte[] buf, int from, int to) {
      int mask = table.length - 1;
      for (int slot = hash(buf, from, to) & mask; ; slot = (slot + 1) & mask) {
        int k = table[slot];
        if (k == 0) {
          return add(buf, from, to, slot);
        }
        byte[] key = keys.get(k - 1);
        if (Arrays.equals(key, 0, key.length, buf, from, to)) {
          return keyChannel.get(k - 1);
        }
      }
    }

    private int add(byte[] buf, int from, int to, int slot) {
      byte[] key = Arrays.copyOfRange(buf, from, to);
      String name = new String(key, StandardCharsets.UTF_8);
      Integer channel = byName.get(name);
      if (channel == null) {
        channel = names.size();
        names.add(name);
        byName.put(name, channel);
      }
      keys.add(key);
      keyChannel.add(channel);
      table[slot] = keys.size();
      if (keys.size() * 2 > table.length) {
        rehash();
      }
      return channel;
    }

    private void rehash() {
      int[] bigger = new int[table.length * 2];
      int mask = bigger.length - 1;
      for (int k = 0; k < keys.size(); k++) {
        byte[] key = keys.get(k);
        int slot = hash(key, 0, key.length) & mask;
        while (bigger[slot] != 0) {
          slot = (slot + 1) & mask;
        }
        bigger[slot] = k + 1;
      }
      table = bigger;
    }

    String[] names() {
      return names.toArray(new String[0]);
    }

    private static int hash(byte[] buf, int from, int to) {
      int h = 1;
      for (int p = from; p < to; p++) {
        h = 31 * h + buf[p];
      }
      return h ^ (h >>> 16);
    }
  }
}
