package dev.streamhighlights.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** What the chat server received and sent, kept for tests to assert on. */
final class ChatStats {

  private final List<String> received = new ArrayList<>(); // guarded by itself
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger joinLimitDisconnects = new AtomicInteger();
  private final AtomicInteger channelCapDisconnects = new AtomicInteger();
  private final Map<String, Map<Long, LongAdder>> privmsgsByTs = new ConcurrentHashMap<>();
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
    privmsgsByTs
        .computeIfAbsent(channel, k -> new ConcurrentHashMap<>())
        .computeIfAbsent(tmiSentTs, k -> new LongAdder())
        .add(n);
  }

  /** PRIVMSGs written per window of {@code windowMillis}, keyed by window start, sorted. */
  Map<Long, Long> privmsgsPerWindow(String channel, long windowMillis) {
    Map<Long, Long> perWindow = new TreeMap<>();
    Map<Long, LongAdder> byTs = privmsgsByTs.get(channel);
    if (byTs != null) {
      for (Map.Entry<Long, LongAdder> e : byTs.entrySet()) {
        long sum = e.getValue().sum();
        if (sum > 0) {
          long start = Math.floorDiv(e.getKey(), windowMillis) * windowMillis;
          perWindow.merge(start, sum, Long::sum);
        }
      }
    }
    return perWindow;
  }
}
