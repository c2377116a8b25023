package dev.streamhighlights.job.e2e;

import dev.streamhighlights.simulator.ChatServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Live chat of steady rate, as Twitch stamps it: every slot ({@code 1000 / perSecond} ms) one
 * message per channel with the slot's time as tmi-sent-ts, never ahead of the clock, so each window
 * holds the same count however the sending thread is scheduled. Keeps what it tried to send, which
 * the chat server only delivers while the job's connection has joined the channel: the difference
 * is chat nobody read.
 */
final class SteadyChat implements AutoCloseable {

  private final ChatServer server;
  private final List<String> channels;
  private final long slotMillis;
  private final long windowMillis;
  private final Map<String, Map<Long, Long>> attempted = new ConcurrentHashMap<>();
  private final Thread thread;
  private volatile boolean stopped;
  private volatile long lastSlot;

  SteadyChat(ChatServer server, List<String> channels, int perSecond, Duration window) {
    this.server = server;
    this.channels = List.copyOf(channels);
    this.slotMillis = 1000 / perSecond;
    this.windowMillis = window.toMillis();
    this.thread = new Thread(this::run, "steady-chat");
    thread.setDaemon(true);
  }

  SteadyChat start() {
    thread.start();
    return this;
  }

  /** Sends {@code n} more messages to {@code channel} now; returns their window's start. */
  long surge(String channel, int n) {
    long now = System.currentTimeMillis();
    send(channel, now, n);
    return windowStart(now);
  }

  /** Stops sending; returns the time of the last message sent. */
  long stop() throws InterruptedException {
    stopped = true;
    thread.join(10_000);
    return lastSlot;
  }

  /** Messages tried per window (start, epoch ms), delivered or not. */
  Map<Long, Long> attemptedPerWindow(String channel) {
    return new TreeMap<>(attempted.getOrDefault(channel, Map.of()));
  }

  long windowStart(long time) {
    return Math.floorDiv(time, windowMillis) * windowMillis;
  }

  private void run() {
    long slot = (System.currentTimeMillis() / slotMillis + 1) * slotMillis;
    while (!stopped) {
      long wait = slot - System.currentTimeMillis();
      if (wait > 0) {
        try {
          Thread.sleep(wait);
        } catch (InterruptedException e) {
          return;
        }
      }
      for (String channel : channels) {
        send(channel, slot, 1);
      }
      lastSlot = slot;
      slot += slotMillis;
    }
  }

  private void send(String channel, long time, int n) {
    attempted
        .computeIfAbsent(channel, c -> new ConcurrentHashMap<>())
        .merge(windowStart(time), (long) n, Long::sum);
    server.sendMessages(channel, time, n);
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
