package dev.streamhighlights.job.bench;

import dev.streamhighlights.job.twitch.TwitchCredentials;
import dev.streamhighlights.local.EmbeddedMongo;
import dev.streamhighlights.simulator.ChatServer;
import dev.streamhighlights.simulator.HelixServer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The live job at Twitch scale on this machine: many channels, Zipf chat, measured from outside.
 *
 * <p>This JVM is the load: the fake Twitch chat server ({@link ZipfChat} over {@code CHANNELS}
 * channels totalling {@code MSGS_PER_S}, each message stamped with the wall clock), the fake Helix
 * that receives the clip requests, and the embedded MongoDB-compatible server the sinks write to
 * (here and not in the job's JVM: in production MongoDB is a server of its own, and its cost is not
 * the job's). The job is the {@code run} command of {@code bin/stream-highlights}, unchanged, in a
 * second JVM with {@code -Xmx2g}: IRC source, windows, detector, CEP, clips, MongoDB sinks, the
 * local Flink with its web UI on 127.0.0.1. Everything stays on loopback.
 *
 * <p>Prints the time to join every channel, then over a steady period: the job process's CPU (from
 * /proc), heap (from its GC log), threads, messages/s sent and received (the source's counter), CPU
 * per message, checkpoints (Flink's REST API) and window end -> clip request at the fake Helix.
 * Stops by itself; the job's process is killed on exit. Run it with {@code bin/benchmark live
 * [CHANNELS] [MSGS_PER_S] [SECONDS]}.
 */
public final class LiveScaleBenchmark {

  /** Channels per anonymous identity; each joins at a verified bot's rate. */
  static final int CHANNELS_PER_IDENTITY = 10_000;

  static final int JOIN_LIMIT = 2_000;
  static final Duration JOIN_WINDOW = Duration.ofSeconds(10);

  /** After every channel is joined, before measuring: the JIT, the first windows, checkpoints. */
  static final Duration WARM_UP = Duration.ofSeconds(60);

  /** The job's --out-of-orderness: the earliest a window can close after its end. */
  static final long WINDOW_CLOSE_DELAY_MILLIS = 2_000;

  public static void main(String[] args) throws Exception {
    int channels = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    double rate = args.length > 1 ? Double.parseDouble(args[1]) : 2_000;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 180;
    Duration joinTimeout = Duration.ofSeconds(Math.max(300, channels / 100));
    int identities = (channels + CHANNELS_PER_IDENTITY - 1) / CHANNELS_PER_IDENTITY;

    Path dir = Files.createTempDirectory("live-scale-");
    String[] names = new String[channels];
    for (int i = 0; i < channels; i++) {
      names[i] = String.format(Locale.ROOT, "channel_%06d", i);
    }
    Path channelsFile = dir.resolve("channels.txt");
    Files.write(channelsFile, List.of(names));

    try (ChatServer chat = ChatServer.start();
        HelixServer helix =
            HelixServer.start("bench-client", "bench-secret", "bench-token", "bench-refresh");
        EmbeddedMongo mongo = EmbeddedMongo.start(dir.resolve("mongo"))) {
      chat.setJoinLimit(JOIN_LIMIT, JOIN_WINDOW);
      helix.setRateLimit(100_000, Duration.ofSeconds(60));
      helix.setClipCreationLimit(1_000_000);
      Path secrets = dir.resolve("twitch.properties");
      Files.writeString(
          secrets,
          String.join(
              "\n",
              TwitchCredentials.CLIENT_ID + "=bench-client",
              TwitchCredentials.CLIENT_SECRET + "=bench-secret",
              TwitchCredentials.USER_TOKEN + "=bench-token",
              TwitchCredentials.REFRESH_TOKEN + "=bench-refresh"));
      int webUi = freePort();
      Duration lifetime = joinTimeout.plus(WARM_UP).plusSeconds(seconds + 120);
      List<String> command = new ArrayList<>();
      command.add(ProcessHandle.current().info().command().orElse("java"));
      for (String flag : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
        if (flag.startsWith("--add-")) {
          command.add(flag);
        }
      }
      // Extra flags for the job's JVM, e.g. a JFR recording: BENCH_JOB_JAVA_OPTS="-XX:Start..."
      String extra = System.getenv("BENCH_JOB_JAVA_OPTS");
      if (extra != null && !extra.isBlank()) {
        command.addAll(List.of(extra.trim().split("\\s+")));
      }
      command.addAll(
          List.of(
              "-Xmx2g",
              "-Xlog:gc:file=" + dir.resolve("gc.log"),
              "-Dlog4j2.level=WARN",
              "-cp",
              System.getProperty("java.class.path"),
              "dev.streamhighlights.local.StreamHighlights",
              "run",
              "--channels-file",
              channelsFile.toString(),
              "--irc-uri",
              chat.ircUri().toString(),
              "--helix-url",
              helix.helixBaseUrl(),
              "--auth-url",
              helix.authBaseUrl(),
              "--twitch-secrets-file",
              secrets.toString(),
              "--anonymous-identities",
              Integer.toString(identities),
              "--join-limit",
              Integer.toString(JOIN_LIMIT),
              "--join-window",
              JOIN_WINDOW.toSeconds() + "s",
              "--data-dir",
              dir.resolve("data").toString(),
              "--web-ui-port",
              Integer.toString(webUi),
              "--web-port",
              "0",
              "--duration",
              lifetime.toSeconds() + "s"));
      ProcessBuilder pb = new ProcessBuilder(command);
      pb.environment().put("MONGO_URI", mongo.uri());
      pb.redirectErrorStream(true).redirectOutput(dir.resolve("job.log").toFile());

      ZipfChat load = new ZipfChat(chat, names, rate);
      Thread loadThread = new Thread(load, "zipf-chat");
      loadThread.setDaemon(true);
      System.out.printf(
          Locale.ROOT,
          "live: %,d channels (Zipf, top %.1f msgs/s, rank %,d %.4f msgs/s), %,.0f msgs/s,"
              + " %d anonymous identities at %d JOINs per %d s; job log, GC log: %s%n",
          channels,
          load.rateOf(0),
          channels,
          load.rateOf(channels - 1),
          rate,
          identities,
          JOIN_LIMIT,
          JOIN_WINDOW.toSeconds(),
          dir);

      long launched = System.nanoTime();
      Process job = pb.start();
      Thread killer = new Thread(() -> stop(job), "kill-job");
      Runtime.getRuntime().addShutdownHook(killer);
      loadThread.start();
      JobProbe probe = new JobProbe(job.toHandle(), dir.resolve("gc.log"), webUi);
      System.out.println("job process " + job.pid() + ", web UI http://127.0.0.1:" + webUi);

      // Phase 1: join every channel.
      int joined = 0;
      long lastReport = 0;
      long deadline = launched + joinTimeout.toNanos();
      while (job.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(1_000);
        joined = chat.joinedChannels().size();
        if (joined >= channels) {
          break;
        }
        if (System.nanoTime() - lastReport > 10_000_000_000L) {
          lastReport = System.nanoTime();
          System.out.printf(
              Locale.ROOT,
              "  %3.0f s: %,d channels joined, job %d threads, %.1f s CPU%n",
              (System.nanoTime() - launched) / 1e9,
              joined,
              probe.threads(),
              probe.cpu().toMillis() / 1000.0);
        }
      }
      double joinSeconds = (System.nanoTime() - launched) / 1e9;
      if (!job.isAlive()) {
        System.out.println("the job's process ended; see " + dir.resolve("job.log"));
        return;
      }
      System.out.printf(
          Locale.ROOT,
          "joined: %,d of %,d channels %s %.1f s after the job's JVM started (%d connections)%n",
          joined,
          channels,
          joined >= channels ? "in" : "by the timeout,",
          joinSeconds,
          chat.connectedClients());
      while (!probe.ready() && job.isAlive()) {
        Thread.sleep(500);
      }

      // Phase 2: warm up, then measure.
      Thread.sleep(WARM_UP.toMillis());
      Map<Long, JobProbe.Checkpoint> checkpoints = new TreeMap<>();
      long fromWall = System.currentTimeMillis();
      long from = System.nanoTime();
      Duration cpuFrom = probe.cpu();
      long receivedFrom = probe.freshSourceMetric("chatMessages");
      long countsFrom = probe.vertexMetric("Source: chat", "partialCounts");
      long lateFrom = probe.vertexMetric("messages per channel", "lateChatMessages");
      long offeredFrom = load.offered();
      long writtenFrom = load.written();
      long ownCpuFrom = ownCpuNanos();
      int gcFrom = probe.gcLines();
      int maxThreads = 0;
      long end = from + seconds * 1_000_000_000L;
      while (System.nanoTime() < end && job.isAlive()) {
        Thread.sleep(5_000);
        maxThreads = Math.max(maxThreads, probe.threads());
        for (JobProbe.Checkpoint c : probe.checkpoints()) {
          if (c.triggeredAt() >= fromWall) {
            checkpoints.put(c.id(), c);
          }
        }
      }
      double wall = (System.nanoTime() - from) / 1e9;
      double cpu = (probe.cpu().minus(cpuFrom)).toNanos() / 1e9;
      long received = probe.freshSourceMetric("chatMessages") - receivedFrom;
      long counts = probe.vertexMetric("Source: chat", "partialCounts") - countsFrom;
      long late = probe.vertexMetric("messages per channel", "lateChatMessages") - lateFrom;
      long offered = load.offered() - offeredFrom;
      long written = load.written() - writtenFrom;
      double ownCpu = (ownCpuNanos() - ownCpuFrom) / 1e9;
      long toWall = System.currentTimeMillis();
      Map<String, Integer> threadGroups = probe.inspect(dir.resolve("histogram.txt"));
      long[] heap = probe.heapSince(gcFrom);
      load.stop();

      System.out.printf(
          Locale.ROOT,
          "steady %.0f s: offered %.0f msgs/s, written %.0f msgs/s, received by the job %.0f"
              + " msgs/s (%s)%n",
          wall,
          offered / wall,
          written / wall,
          received / wall,
          received >= 0.98 * written ? "held" : "NOT held");
      System.out.printf(
          Locale.ROOT,
          "job process: %.3f cores, %.1f us CPU per message, heap live %d MB after a full GC"
              + " (max used %d MB, committed %d MB, -Xmx2g), %d threads; load JVM %.3f cores%n",
          cpu / wall,
          received > 0 ? cpu * 1e6 / received : Double.NaN,
          heap[3],
          heap[1],
          heap[2],
          maxThreads,
          ownCpu / wall);
      StringBuilder groups = new StringBuilder();
      threadGroups.entrySet().stream()
          .limit(8)
          .forEach(
              e ->
                  groups
                      .append(", ")
                      .append(e.getValue())
                      .append(" '")
                      .append(e.getKey())
                      .append('\''));
      System.out.printf(
          Locale.ROOT,
          "counts across the keyBy: %.0f/s (%.2f per message); late chat: %.0f" + " msgs/s%n",
          counts / wall,
          received > 0 ? (double) counts / received : Double.NaN,
          late / wall);
      System.out.println(
          "threads by name:" + groups.substring(1) + "; histogram and thread dump in " + dir);
      printCheckpoints(checkpoints);
      printLatency(helix, fromWall, toWall);
    } finally {
      System.out.flush();
    }
    System.exit(0);
  }

  private static void printCheckpoints(Map<Long, JobProbe.Checkpoint> checkpoints) {
    if (checkpoints.isEmpty()) {
      System.out.println("checkpoints: none completed in the steady period");
      return;
    }
    List<Long> durations = new ArrayList<>();
    long maxSize = 0;
    for (JobProbe.Checkpoint c : checkpoints.values()) {
      durations.add(c.durationMillis());
      maxSize = Math.max(maxSize, c.stateBytes());
    }
    Collections.sort(durations);
    System.out.printf(
        Locale.ROOT,
        "checkpoints: %d completed, duration p50 %d ms, max %d ms; size max %.1f MB%n",
        durations.size(),
        durations.get(durations.size() / 2),
        durations.get(durations.size() - 1),
        maxSize / 1e6);
  }

  /** Clip requests of highlights whose window ended in the steady period. */
  private static void printLatency(HelixServer helix, long fromWall, long toWall) {
    List<Long> latencies = new ArrayList<>();
    for (HelixServer.CreateRequest r : helix.creates()) {
      long windowEnd = ClipLatencyBenchmark.windowEnd(r.title());
      if (windowEnd >= fromWall && windowEnd <= toWall) {
        latencies.add(r.atMillis() - windowEnd);
      }
    }
    Collections.sort(latencies);
    int n = latencies.size();
    if (n == 0) {
      System.out.println("clips: no clip requests for windows in the steady period");
      return;
    }
    long p50 = latencies.get(n / 2);
    long p99 = latencies.get(Math.min(n - 1, (int) (n * 0.99)));
    System.out.printf(
        Locale.ROOT,
        "clips: %d requests; window end -> request at Helix p50 %d ms, p99 %d ms, max %d ms;"
            + " from the window's earliest close (end + %d ms out-of-orderness) p50 %d ms, p99 %d"
            + " ms%n",
        n,
        p50,
        p99,
        latencies.get(n - 1),
        WINDOW_CLOSE_DELAY_MILLIS,
        p50 - WINDOW_CLOSE_DELAY_MILLIS,
        p99 - WINDOW_CLOSE_DELAY_MILLIS);
  }

  private static long ownCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static void stop(Process job) {
    job.destroy();
    try {
      if (!job.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        job.destroyForcibly();
      }
    } catch (InterruptedException e) {
      job.destroyForcibly();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
