package dev.streamhighlights.job.testing;

import dev.streamhighlights.irc.model.ChatMessage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Builds test chat from per-window message counts: {@code channel("a").windows(2, 2, 40)} puts 2, 2
 * and 40 messages, evenly spread, into a's first three 10 s windows.
 */
public final class ChatScript {

  /** A 10 s aligned start time, so window indexes map to window starts. */
  public static final long T0 = 1_700_000_000_000L;

  public static final long WINDOW = 10_000;

  private final List<ChatMessage> messages = new ArrayList<>();

  public ChatScript channel(String channel, long... countsPerWindow) {
    for (int w = 0; w < countsPerWindow.length; w++) {
      long start = windowStart(w);
      long n = countsPerWindow[w];
      for (long i = 0; i < n; i++) {
        messages.add(new ChatMessage(channel, channel + "-id", start + i * WINDOW / n));
      }
    }
    return this;
  }

  /** Counts of {@code n} windows of {@code base} with some windows set to other values. */
  public static long[] counts(int n, long base, long... windowAndCount) {
    long[] counts = new long[n];
    java.util.Arrays.fill(counts, base);
    for (int i = 0; i < windowAndCount.length; i += 2) {
      counts[(int) windowAndCount[i]] = windowAndCount[i + 1];
    }
    return counts;
  }

  public static long windowStart(int window) {
    return T0 + window * WINDOW;
  }

  /**
   * A window start just ahead of the clock: chat that starts there is fresh when its highlights are
   * clipped (clips of moments older than --clip-max-age are never requested).
   */
  public static long freshStart() {
    return (System.currentTimeMillis() / WINDOW + 1) * WINDOW;
  }

  /** The messages in event-time order, moved so that window 0 starts at {@code start}. */
  public List<ChatMessage> messagesStartingAt(long start) {
    long shift = start - T0;
    return messages().stream()
        .map(m -> new ChatMessage(m.channel(), m.channelId(), m.eventTime() + shift, m.kind()))
        .toList();
  }

  /** The messages in event-time order, as a live source would deliver them. */
  public List<ChatMessage> messages() {
    List<ChatMessage> sorted = new ArrayList<>(messages);
    sorted.sort(Comparator.comparingLong(ChatMessage::eventTime));
    return sorted;
  }
}
