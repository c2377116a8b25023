package dev.streamhighlights.simulator;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The chat server's knobs; tests turn them while clients are connected, so every one is volatile.
 */
final class ChatSettings {

  private final Map<String, String> roomIds = new ConcurrentHashMap<>();
  private volatile int joinLimit = 20;
  private volatile long joinWindowNanos = Duration.ofSeconds(10).toNanos();
  private volatile boolean loginsFail;

  void setRoomId(String channel, String roomId) {
    roomIds.put(channel, roomId);
  }

  /** The registered room id, else one derived from the name, stable across runs. */
  String roomIdOf(String channel) {
    String id = roomIds.get(channel);
    // String.hashCode is specified, so the derived id is the same in every JVM.
    return id != null
        ? id
        : Long.toString(100_000_000L + Math.floorMod(channel.hashCode(), 900_000_000));
  }

  void setJoinLimit(int joins, Duration window) {
    joinWindowNanos = window.toNanos();
    joinLimit = joins;
  }

  int joinLimit() {
    return joinLimit;
  }

  long joinWindowNanos() {
    return joinWindowNanos;
  }

  void setLoginsFail(boolean fail) {
    loginsFail = fail;
  }

  boolean loginsFail() {
    return loginsFail;
  }
}
