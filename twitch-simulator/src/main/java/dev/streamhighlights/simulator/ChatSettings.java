package dev.streamhighlights.simulator;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The chat server's knobs; tests turn them while clients are connected, so every one is volatile.
 */
final class ChatSettings {

  private final Map<String, String> roomIds = new ConcurrentHashMap<>();
  private final Map<String, Limits> perNick = new ConcurrentHashMap<>();
  private volatile Limits defaults =
      new Limits(20, Duration.ofSeconds(10).toNanos(), Integer.MAX_VALUE);
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

  /**
   * An account's limits: at most {@code joins} channel JOINs in any {@code joinWindowNanos}, and at
   * most {@code channelCap} channels joined at once.
   */
  record Limits(int joins, long joinWindowNanos, int channelCap) {}

  void setJoinLimit(int joins, Duration window) {
    Limits d = defaults;
    defaults = new Limits(joins, window.toNanos(), d.channelCap());
  }

  void setChannelCap(int cap) {
    Limits d = defaults;
    defaults = new Limits(d.joins(), d.joinWindowNanos(), cap);
  }

  void setLimits(String nick, Limits limits) {
    perNick.put(nick, limits);
  }

  /** The nick's own limits if it has any, else every account's. */
  Limits limitsOf(String nick) {
    Limits own = perNick.get(nick);
    return own != null ? own : defaults;
  }

  void setLoginsFail(boolean fail) {
    loginsFail = fail;
  }

  boolean loginsFail() {
    return loginsFail;
  }
}
