package dev.streamhighlights.irc.bench;

import dev.streamhighlights.irc.connection.ChatClient;
import dev.streamhighlights.irc.connection.ChatListener;
import dev.streamhighlights.irc.connection.ChatSettings;
import dev.streamhighlights.irc.connection.ChatStats;
import dev.streamhighlights.irc.model.ChatMessage;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Parse-and-emit from a socket: a local server floods one connection with real-looking tagged
 * PRIVMSG lines (about 410 bytes each, 50 channels) and the source's connection thread reads,
 * parses and turns each into a {@code ChatMessage}. Prints messages per second and the CPU time of
 * the connection thread per message. Not a test: run it with {@code bin/benchmark parse}.
 */
public final class ParseBenchmark {

  private static final int CHANNELS = 50;

  public static void main(String[] args) throws Exception {
    long messages = args.length > 0 ? Long.parseLong(args[0]) : 20_000_000L;
    byte[] block = block();
    int linesPerBlock = CHANNELS * 20;
    long blocks = messages / linesPerBlock;

    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread blaster = new Thread(() -> serve(server, block, blocks), "blaster");
      blaster.setDaemon(true);
      blaster.start();

      AtomicLong received = new AtomicLong();
      ChatListener listener =
          new ChatListener() {
            @Override
            public void onMessage(ChatMessage m) {
              received.lazySet(received.get() + 1);
            }

            @Override
            public void onFatalError(Exception e) {
              throw new IllegalStateException(e);
            }
          };
      ChatSettings settings =
          new ChatSettings(
              URI.create("irc://127.0.0.1:" + server.getLocalPort()),
              null,
              null,
              90,
              1000,
              Duration.ofSeconds(10),
              Duration.ofMinutes(5),
              Duration.ofMinutes(5),
              Duration.ofSeconds(1),
              3,
              Duration.ofSeconds(5));
      ChatStats stats = new ChatStats();
      try (ChatClient client = new ChatClient(settings, listener, stats)) {
        for (int c = 0; c < CHANNELS; c++) {
          client.join(channel(c));
        }
        long total = blocks * linesPerBlock;
        // Warm up on the first 20 %, then measure the rest.
        while (received.get() < total / 5) {
          Thread.sleep(1);
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long tid = connectionThreadId();
        long cpu0 = mx.getThreadCpuTime(tid);
        long n0 = received.get();
        long t0 = System.nanoTime();
        while (received.get() < total) {
          Thread.sleep(1);
        }
        long t1 = System.nanoTime();
        long cpu1 = mx.getThreadCpuTime(tid);
        long n = received.get() - n0;
        System.out.printf(
            Locale.ROOT,
            "parse-and-emit: %,d messages (%d-byte lines) in %.2f s = %,.0f messages/s;"
                + " connection thread CPU %.3f us/message = %,.0f messages/s per core;"
                + " parse errors %d%n",
            n,
            block.length / linesPerBlock,
            (t1 - t0) / 1e9,
            n / ((t1 - t0) / 1e9),
            (cpu1 - cpu0) / 1e3 / n,
            n / ((cpu1 - cpu0) / 1e9),
            stats.parseErrors.sum());
      }
    }
  }

  private static long connectionThreadId() {
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals("irc-connection-0")) {
        return t.getId();
      }
    }
    throw new IllegalStateException("no connection thread");
  }

  private static String channel(int c) {
    return "channel_" + c;
  }

  /** 20 lines per channel, interleaved, as one byte block the server repeats. */
  private static byte[] block() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      for (int c = 0; c < CHANNELS; c++) {
        sb.append("@badge-info=subscriber/14;badges=subscriber/12,sub-gifter/5;client-nonce=")
            .append(String.format("%032x", (long) i * 7919 + c))
            .append(";color=#1E90FF;display-name=Viewer")
            .append(c)
            .append(";emotes=25:0-4;first-msg=0;flags=;id=b34ccfc7-4977-403a-8a94-")
            .append(String.format("%012d", (long) i * 100 + c))
            .append(";mod=0;returning-chatter=0;room-id=")
            .append(100_000 + c)
            .append(";subscriber=1;tmi-sent-ts=")
            .append(1_700_000_000_000L + i * 50)
            .append(";turbo=0;user-id=")
            .append(55_000_000 + i)
            .append(";user-type= :viewer")
            .append(c)
            .append("!viewer")
            .append(c)
            .append("@viewer")
            .append(c)
            .append(".tmi.twitch.tv PRIVMSG #")
            .append(channel(c))
            .append(" :Kappa that was a crazy play, chat is going wild right now LUL\r\n");
      }
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Logs the client in, confirms its joins, then writes the block {@code blocks} times. */
  private static void serve(ServerSocket server, byte[] block, long blocks) {
    try (Socket s = server.accept()) {
      BufferedReader in =
          new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      OutputStream out = s.getOutputStream();
      int joined = 0;
      String line;
      while (joined < CHANNELS && (line = in.readLine()) != null) {
        if (line.startsWith("NICK ")) {
          out.write(
              ":tmi.twitch.tv 001 bench :Welcome, GLHF!\r\n".getBytes(StandardCharsets.UTF_8));
          out.flush();
        } else if (line.startsWith("JOIN ")) {
          joined += line.substring(5).split(",").length;
        }
      }
      for (long b = 0; b < blocks; b++) {
        out.write(block);
      }
      out.flush();
      Thread.sleep(60_000);
    } catch (Exception e) {
      // the benchmark ends by closing the client
    }
  }
}
