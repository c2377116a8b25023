package dev.streamhighlights.irc.connection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** What the connection tests share: channel names and waiting for a condition. */
final class Waits {

  private Waits() {}

  /** channel_0 ... channel_{n-1}. */
  static List<String> channels(int n) {
    List<String> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      list.add("channel_" + i);
    }
    return list;
  }

  /** Polls {@code condition} every 20 ms until it holds, failing after {@code wait}. */
  static void await(BooleanSupplier condition, Duration wait) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + wait);
      }
      Thread.sleep(20);
    }
  }
}
