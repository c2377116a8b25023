package dev.streamhighlights.simulator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** What the chat server received and sent, kept for tests to assert on. */
final class ChatStats {

  private final List<String> received = new ArrayList<>(); // guarded by itself
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger joinLimitDisconnects = new AtomicInteger();
  private final AtomicInteger channelCapDisconnects = new AtomicInteger();
  private final Map<String, Sent> privmsgsByTs = new ConcurrentHashMap<>();
  private final List<ChatServer.Membership> memberships = new ArrayList<>(); // guarded by itself

  void lineReceived(String line) {
    synchronized (received) {
      received.add(line);
    }
  }

  List<String> received() {
    synchronized (received) {
      return new ArrayList<>(received);
    }
  }

  void membership(String nick, String channel, boolean joined) {
    synchronized (memberships) {
      memberships.add(new ChatServer.Membership(nick, channel, joined));
    }
  }

  /** How many JOINs and PARTs took effect so far; counted after the session's channels changed. */
  long membershipChanges() {
    synchronized (memberships) {
      return memberships.size();
    }
  }

  List<ChatServer.Membership> memberships() {
    synchronized (memberships) {
      return List.copyOf(memberships);
    }
  }

  void connectionAccepted() {
    connections.incrementAndGet();
  }

  int totalConnections() {
    return connections.get();
  }

  void joinLimitDisconnect() {
    joinLimitDisconnects.incrementAndGet();
  }

  int joinLimitDisconnects() {
    return joinLimitDisconnects.get();
  }

  void channelCapDisconnect() {
    channelCapDisconnects.incrementAndGet();
  }

  int channelCapDisconnects() {
    return channelCapDisconnects.get();
  }

  void privmsgsWritten(String channel, long tmiSentTs, int n) {
    Sent sent = privmsgsByTs.get(channel);
    if (sent == null) {
      sent = privmsgsByTs.computeIfAbsent(channel, k -> new Sent());
    }
    sent.add(tmiSentTs, n);
  }

  /** PRIVMSGs written per window of {@code windowMillis}, keyed by window start, sorted. */
  Map<Long, Long> privmsgsPerWindow(String channel, long windowMillis) {
    Map<Long, Long> perWindow = new TreeMap<>();
    Sent sent = privmsgsByTs.get(channel);
    if (sent != null) {
      sent.sumInto(perWindow, windowMillis);
    }
    return perWindow;
  }

  /**
   * One channel's PRIVMSGs written, as runs of (timestamp, count): a load generator that stamps
   * many messages alike costs 16 bytes per run, not a map entry per timestamp.
   */
  private static final class Sent {
    private long[] ts = new long[8];
    private long[] counts = new long[8];
    private int size;

    synchronized void add(long tmiSentTs, long n) {
      if (size > 0 && ts[size - 1] == tmiSentTs) {
        counts[size - 1] += n;
        return;
      }
      if (size == ts.length) {
        ts = Arrays.copyOf(ts, size * 2);
        counts = Arrays.copyOf(counts, size * 2);
      }
      ts[size] = tmiSentTs;
      counts[size] = n;
      size++;
    }

    synchronized void sumInto(Map<Long, Long> perWindow, long windowMillis) {
      for (int i = 0; i < size; i++) {
        if (counts[i] > 0) {
          perWindow.merge(Math.floorDiv(ts[i], windowMillis) * windowMillis, counts[i], Long::sum);
        }
      }
    }
  }
}
