package dev.streamhighlights.job.bench;

import dev.streamhighlights.job.JobEnvironment;
import dev.streamhighlights.job.PipelineSettings;
import dev.streamhighlights.job.backtest.Backtest;
import dev.streamhighlights.job.backtest.ChatLog;
import java.io.BufferedWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Backtest throughput: writes a chat log of {@code MESSAGES} messages over {@code CHANNELS}
 * channels at Zipf rates (2,000 messages/s of event time in all, like all of Twitch), reads it as
 * {@code backtest --chat} does, and runs the whole pipeline over it on a local Flink at parallelism
 * 1, as the {@code backtest} command does. Prints the time to read the log, the time of the Flink
 * job from submission to its end, and messages per second of each and of both.
 *
 * <pre>bin/benchmark backtest [MESSAGES [CHANNELS]]</pre>
 */
public final class BacktestBenchmark {

  private BacktestBenchmark() {}

  public static void main(String[] args) throws Exception {
    int messages = args.length > 0 ? Integer.parseInt(args[0]) : 5_000_000;
    int channels = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
    double rate = 2_000;
    Path dir = Files.createTempDirectory("backtest-bench");
    Path csv = dir.resolve("chat.csv");
    write(csv, messages, channels, rate);
    System.out.printf(
        Locale.ROOT,
        "backtest: %,d messages over %,d channels (Zipf, %.0f msgs/s, %.1f h of chat) in %s (%,d"
            + " bytes)%n",
        messages,
        channels,
        rate,
        messages / rate / 3600,
        csv,
        Files.size(csv));
    // A run to warm the JIT and Flink's classes, then the measured one.
    for (String round : List.of("warm-up", "measured")) {
      long cpu0 = cpuNanos();
      long t0 = System.nanoTime();
      ChatLog log = ChatLog.read(csv);
      long t1 = System.nanoTime();
      StreamExecutionEnvironment env =
          JobEnvironment.singleTask(StreamExecutionEnvironment.createLocalEnvironment(1));
      Backtest.Result result =
          Backtest.run(env, log, PipelineSettings.defaults(), List.of(), List.of());
      long t2 = System.nanoTime();
      long cpu = cpuNanos() - cpu0;
      double read = (t1 - t0) / 1e9;
      double run = (t2 - t1) / 1e9;
      System.out.printf(
          Locale.ROOT,
          "%s: read %.2f s (%,.0f msgs/s), pipeline %.2f s (%,.0f msgs/s; the Flink job %.2f s,"
              + " %,.0f msgs/s, the rest starting and stopping the local cluster), both %.2f s"
              + " (%,.0f msgs/s); %.2f us CPU per message (process, all threads); %d highlights%n",
          round,
          read,
          messages / read,
          run,
          messages / run,
          result.jobMillis() / 1e3,
          messages / (result.jobMillis() / 1e3),
          read + run,
          messages / (read + run),
          cpu / 1e3 / messages,
          result.highlights().size());
    }
    Files.delete(csv);
    Files.delete(dir);
  }

  /** Zipf over the channels, messages in time order with exponential gaps. */
  private static void write(Path csv, int messages, int channels, double rate) throws Exception {
    double[] cumulative = new double[channels];
    double sum = 0;
    for (int k = 0; k < channels; k++) {
      sum += 1.0 / (k + 1);
      cumulative[k] = sum;
    }
    SplittableRandom random = new SplittableRandom(2026L);
    double t = 1_700_000_000_000.0;
    try (BufferedWriter out = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
      out.write("channel,epoch_millis\n");
      for (int i = 0; i < messages; i++) {
        t += -Math.log(1 - random.nextDouble()) * 1000 / rate;
        int channel = ZipfChat.firstAtLeast(cumulative, random.nextDouble() * sum);
        out.write("channel_");
        out.write(Integer.toString(channel));
        out.write(',');
        out.write(Long.toString((long) t));
        out.write('\n');
      }
    }
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
