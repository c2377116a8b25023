package dev.streamhighlights.job.backtest;

import dev.streamhighlights.irc.model.ChatMessage;
import java.io.Serializable;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Chat messages as columns: each channel once, then a channel index and a time per message. A
 * replayed log travels with the job graph, where primitive arrays serialize as blocks while a list
 * of objects costs a lookup per element, and the counting replay ({@link ChatCountSource}) reads
 * the arrays without making a message object per row.
 *
 * @param names channel login names, by channel index
 * @param ids the channels' room ids, by channel index (a recorded log has none: the same array)
 * @param channels per message, the index of its channel
 * @param eventTimes per message, its event time in epoch milliseconds
 */
public record ChatColumns(String[] names, String[] ids, int[] channels, long[] eventTimes)
    implements Serializable {

  /** The columns of {@code messages}, in list order. */
  public static ChatColumns of(List<ChatMessage> messages) {
    int n = messages.size();
    Map<Channel, Integer> index = new HashMap<>();
    List<String> names = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    int[] channels = new int[n];
    long[] eventTimes = new long[n];
    for (int i = 0; i < n; i++) {
      ChatMessage m = messages.get(i);
      // A channel's id is the same throughout a log; the pair is the key all the same.
      Channel key = new Channel(m.channel(), m.channelId());
      Integer k = index.get(key);
      if (k == null) {
        k = names.size();
        index.put(key, k);
        names.add(m.channel());
        ids.add(m.channelId());
      }
      channels[i] = k;
      eventTimes[i] = m.eventTime();
    }
    return new ChatColumns(
        names.toArray(new String[0]), ids.toArray(new String[0]), channels, eventTimes);
  }

  private record Channel(String name, String id) {}

  /** Messages. */
  public int size() {
    return eventTimes.length;
  }

  /** The {@code i}th message, made on each call. */
  public ChatMessage at(int i) {
    int c = channels[i];
    return new ChatMessage(names[c], ids[c], eventTimes[i]);
  }

  /** A read-only list view: a message object is made per {@code get}. */
  public List<ChatMessage> asList() {
    return new AbstractList<>() {
      @Override
      public ChatMessage get(int i) {
        return at(i);
      }

      @Override
      public int size() {
        return ChatColumns.this.size();
      }
    };
  }

  /** Whether event times never decrease. */
  public boolean sortedByTime() {
    for (int i = 1; i < eventTimes.length; i++) {
      if (eventTimes[i] < eventTimes[i - 1]) {
        return false;
      }
    }
    return true;
  }

  /** Distinct channel names with at least one message. */
  public int channelCount() {
    boolean[] seen = new boolean[names.length];
    for (int c : channels) {
      seen[c] = true;
    }
    Set<String> distinct = new HashSet<>();
    for (int c = 0; c < names.length; c++) {
      if (seen[c]) {
        distinct.add(names[c]);
      }
    }
    return distinct.size();
  }

  /** Hours of chat: per channel, from its first to its last message, summed. */
  public double chatHours() {
    Map<String, long[]> spans = new HashMap<>();
    long[] first = new long[names.length];
    long[] last = new long[names.length];
    Arrays.fill(first, Long.MAX_VALUE);
    Arrays.fill(last, Long.MIN_VALUE);
    for (int i = 0; i < eventTimes.length; i++) {
      int c = channels[i];
      first[c] = Math.min(first[c], eventTimes[i]);
      last[c] = Math.max(last[c], eventTimes[i]);
    }
    for (int c = 0; c < names.length; c++) {
      if (first[c] <= last[c]) {
        long[] span =
            spans.computeIfAbsent(names[c], x -> new long[] {Long.MAX_VALUE, Long.MIN_VALUE});
        span[0] = Math.min(span[0], first[c]);
        span[1] = Math.max(span[1], last[c]);
      }
    }
    return spans.values().stream().mapToLong(s -> s[1] - s[0]).sum() / 3_600_000.0;
  }
}
