package dev.streamhighlights.job.backtest;

import dev.streamhighlights.irc.model.ChatMessage;
import dev.streamhighlights.job.kafka.ChatRecords;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
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
 */
public record ChatLog(
    List<ChatMessage> messages, long malformedRows, List<String> malformedSamples) {

  static final String HEADER = "channel,epoch_millis";
  private static final int SAMPLES = 5;

  public static ChatLog read(Path file) {
    try (BufferedReader in = open(file)) {
      String header = in.readLine();
      if (header == null) {
        throw new IllegalArgumentException(
            file + " is empty: a chat log starts with the header '" + HEADER + "'");
      }
      if (!HEADER.equals(stripBom(header).trim())) {
        throw new IllegalArgumentException(
            file + " must start with the header '" + HEADER + "', not '" + header + "'");
      }
      List<ChatMessage> messages = new ArrayList<>();
      Map<String, String> channels = new HashMap<>();
      List<String> samples = new ArrayList<>();
      long malformed = 0;
      long lineNumber = 1;
      long latest = System.currentTimeMillis() + ChatRecords.MAX_AHEAD_OF_CLOCK_MILLIS;
      String line;
      while ((line = in.readLine()) != null) {
        lineNumber++;
        ChatMessage m = parse(line, channels);
        if (m == null) {
          if (line.isBlank()) {
            continue;
          }
          malformed++;
          if (samples.size() < SAMPLES) {
            samples.add("line " + lineNumber);
          }
          continue;
        }
        if (m.eventTime() > latest) {
          malformed++;
          if (samples.size() < SAMPLES) {
            samples.add("line " + lineNumber + " (time in the future)");
          }
          continue;
        }
        messages.add(m);
      }
      messages.sort(Comparator.comparingLong(ChatMessage::eventTime));
      return new ChatLog(List.copyOf(messages), malformed, List.copyOf(samples));
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(file + " does not exist");
    } catch (IOException e) {
      throw new IllegalArgumentException(file + " cannot be read: " + e.getMessage());
    }
  }

  /** Parses one row, or returns null when it is malformed. Channel strings are shared. */
  static ChatMessage parse(String line, Map<String, String> channels) {
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
    channel = channels.computeIfAbsent(channel, c -> c);
    // Recorded logs carry no room id; the channel name stands in for it.
    return new ChatMessage(channel, channel, millis);
  }

  private static BufferedReader open(Path file) throws IOException {
    InputStream raw = Files.newInputStream(file);
    InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
  }

  private static String stripBom(String s) {
    return s.startsWith("\uFEFF") ? s.substring(1) : s;
  }
}
