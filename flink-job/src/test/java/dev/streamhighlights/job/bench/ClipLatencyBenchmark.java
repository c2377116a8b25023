package dev.streamhighlights.job.bench;

import dev.streamhighlights.irc.config.Secrets;
import dev.streamhighlights.irc.model.ChatMessage;
import dev.streamhighlights.job.HighlightPipeline;
import dev.streamhighlights.job.PipelineSettings;
import dev.streamhighlights.job.model.ChannelActivity;
import dev.streamhighlights.job.twitch.HelixSettings;
import dev.streamhighlights.job.twitch.TwitchClips;
import dev.streamhighlights.job.twitch.TwitchCredentials;
import dev.streamhighlights.simulator.HelixServer;
import java.nio.file.Files;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Clip request latency at about 1,000 highlights per minute: 1,000 channels chat at 1 message/s
 * with event time = wall clock, and each surges to 10 messages/s for one 10 s window every minute
 * (staggered). Latency is measured from the moment the surge window closes (its count leaves the
 * window operator, i.e. the watermark passed its end) to the moment the clip request reaches the
 * fake Helix server. Prints highlights per minute and latency percentiles. Run it with {@code
 * bin/benchmark latency [SECONDS]}.
 */
public final class ClipLatencyBenchmark {

  static final int CHANNELS = 1_000;
  static final double BASE_PER_SECOND = 1.0;
  static final double SURGE_FACTOR = 10.0;
  static final int SURGE_EVERY_WINDOWS = 6;

  /** Wall-clock time at which each window end was first seen leaving the window operator. */
  static final Map<Long, Long> CLOSED = new ConcurrentHashMap<>();

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 240;
    double avgWeight = 1 + (SURGE_FACTOR - 1) / SURGE_EVERY_WINDOWS;
    int rate = (int) Math.round(CHANNELS * BASE_PER_SECOND * avgWeight);
    long start = (System.currentTimeMillis() / 10_000 + 1) * 10_000;

    try (HelixServer helix = HelixServer.start("client", "secret", "token", "refresh")) {
      helix.setRateLimit(100_000, Duration.ofSeconds(60));
      helix.setClipCreationLimit(1_000_000);
      StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1);
      env.enableCheckpointing(10_000);
      TwitchClips clips =
          new TwitchClips(
              new HelixSettings(
                  helix.helixBaseUrl(),
                  helix.authBaseUrl(),
                  30,
                  Duration.ofSeconds(15),
                  Duration.ofSeconds(1),
                  Duration.ofSeconds(40),
                  Duration.ofSeconds(10),
                  Duration.ofSeconds(8)),
              Secrets.of(
                  Map.of(
                      TwitchCredentials.CLIENT_ID, "client",
                      TwitchCredentials.CLIENT_SECRET, "secret",
                      TwitchCredentials.USER_TOKEN, "token",
                      TwitchCredentials.REFRESH_TOKEN, "refresh")),
              null,
              Files.createTempFile("tokens", ".properties").toString());
      HighlightPipeline.build(
          env,
          new DataGeneratorSource<>(
              new StaggeredSurges(rate, start),
              Long.MAX_VALUE,
              RateLimiterStrategy.perSecond(rate),
              TypeInformation.of(ChatMessage.class)),
          PipelineSettings.defaults(),
          clips,
          new HighlightPipeline.Sinks(List.of(new WindowCloseProbe()), List.of()));
      Thread.sleep(Math.max(0, start - System.currentTimeMillis()));
      JobClient job = env.executeAsync("clip latency benchmark");
      Thread.sleep(seconds * 1000L);
      job.cancel().get();

      // Skip the first 2.5 minutes: history fills and the JIT warms up.
      long measureFrom = start + 150_000;
      List<Long> latencies = new ArrayList<>();
      long first = Long.MAX_VALUE;
      long last = 0;
      for (HelixServer.CreateRequest r : helix.creates()) {
        long windowEnd = windowEnd(r.title());
        Long closed = CLOSED.get(windowEnd);
        if (closed == null || windowEnd < measureFrom) {
          continue;
        }
        latencies.add(r.atMillis() - closed);
        first = Math.min(first, r.atMillis());
        last = Math.max(last, r.atMillis());
      }
      Collections.sort(latencies);
      int n = latencies.size();
      if (n == 0) {
        System.out.println("latency: no highlights measured; run longer than 150 s");
        return;
      }
      System.out.printf(
          Locale.ROOT,
          "latency: %d clip requests measured at %.0f highlights/minute (%d channels, %d messages/s);"
              + " window close -> request at Helix: p50 %d ms, p90 %d ms, p99 %d ms, max %d ms%n",
          n,
          n / ((last - first) / 60_000.0),
          CHANNELS,
          rate,
          latencies.get(n / 2),
          latencies.get((int) (n * 0.9)),
          latencies.get(Math.min(n - 1, (int) (n * 0.99))),
          latencies.get(n - 1));
    }
    System.exit(0);
  }

  /** The request title ends with the highlight's time, which is its window's end. */
  static long windowEnd(String title) {
    String time =
        title.substring(title.length() - "yyyy-MM-dd HH:mm:ss UTC".length(), title.length() - 4);
    return LocalDateTime.parse(time, DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"))
        .toInstant(ZoneOffset.UTC)
        .toEpochMilli();
  }

  /** Message i at event time start + i / rate, its channel drawn by the channels' current rates. */
  static final class StaggeredSurges implements GeneratorFunction<Long, ChatMessage> {
    private final int rate;
    private final long start;
    private transient double[] cumulative;
    private transient long cachedWindow = -1;
    private transient String[] names;

    StaggeredSurges(int rate, long start) {
      this.rate = rate;
      this.start = start;
    }

    @Override
    public ChatMessage map(Long i) {
      if (names == null) {
        names = new String[CHANNELS];
        cumulative = new double[CHANNELS];
        for (int c = 0; c < CHANNELS; c++) {
          names[c] = "channel_" + c;
        }
      }
      long t = start + (long) (i * 1000.0 / rate);
      long window = (t - start) / 10_000;
      if (window != cachedWindow) {
        double sum = 0;
        for (int c = 0; c < CHANNELS; c++) {
          sum += (window + c) % SURGE_EVERY_WINDOWS == 0 ? SURGE_FACTOR : 1.0;
          cumulative[c] = sum;
        }
        cachedWindow = window;
      }
      double u = ((i * 0x9E3779B97F4A7C15L) >>> 11) * 0x1.0p-53 * cumulative[CHANNELS - 1];
      int c = ZipfChat.firstAtLeast(cumulative, u);
      return new ChatMessage(names[c], String.valueOf(10_000 + c), t);
    }
  }

  /** Notes the wall-clock time each window end first leaves the window operator. */
  static final class WindowCloseProbe implements Sink<ChannelActivity> {
    @Override
    @SuppressWarnings("deprecation")
    public SinkWriter<ChannelActivity> createWriter(InitContext context) {
      return new SinkWriter<>() {
        @Override
        public void write(ChannelActivity a, Context ctx) {
          CLOSED.putIfAbsent(a.windowEnd(), System.currentTimeMillis());
        }

        @Override
        public void flush(boolean endOfInput) {}

        @Override
        public void close() {}
      };
    }
  }
}
