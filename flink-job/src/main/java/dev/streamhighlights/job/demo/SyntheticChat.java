package dev.streamhighlights.job.demo;

import dev.streamhighlights.irc.model.ChatMessage;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

/**
 * Chat the job makes up for itself: channels from quiet to busy (base rates spread over two orders
 * of magnitude) with bursts of 10-30 s in which a channel's rate jumps 4-12 fold. Message {@code i}
 * is a pure function of {@code i}, so a restart from a checkpoint replays exactly the same chat.
 * Event time advances by {@code 1 / rate} per message, so at the generator's rate limit it follows
 * the wall clock.
 */
public final class SyntheticChat implements GeneratorFunction<Long, ChatMessage> {

  static final long SLOT_MILLIS = 60_000;
  static final double BURST_PROBABILITY = 0.12;

  /** Real chat is burstier than a Poisson process: each channel's rate wobbles every 10 s. */
  static final double WOBBLE_SIGMA = 0.3;

  private final int channels;
  private final double ratePerSecond;
  private final long startMillis;
  private final long seed;

  private transient String[] names;
  private transient String[] ids;
  private transient double[] cumulative;
  private transient long cachedSecond = Long.MIN_VALUE;

  public SyntheticChat(int channels, double ratePerSecond, long startMillis, long seed) {
    this.channels = channels;
    this.ratePerSecond = ratePerSecond;
    this.startMillis = startMillis;
    this.seed = seed;
  }

  @Override
  public ChatMessage map(Long index) {
    if (names == null) {
      init();
    }
    long offset = (long) (index * 1000.0 / ratePerSecond);
    long second = offset / 1000;
    if (second != cachedSecond) {
      weightsAt(second * 1000);
      cachedSecond = second;
    }
    double u = unit(mix(seed ^ index * 0x9E3779B97F4A7C15L)) * cumulative[channels - 1];
    int c = 0;
    while (c < channels - 1 && cumulative[c] < u) {
      c++;
    }
    return new ChatMessage(names[c], ids[c], startMillis + offset);
  }

  /** The channel names this generator uses, in order. */
  public static String channelName(int c) {
    return String.format("sim_channel_%02d", c + 1);
  }

  /** Whether channel {@code c} is in a burst at {@code offsetMillis}, and how strong (1 = none). */
  double multiplier(int c, long offsetMillis) {
    long slot = offsetMillis / SLOT_MILLIS;
    long h = mix(seed * 31 + c * 1_000_003L + slot * 7_919L);
    if (unit(h) >= BURST_PROBABILITY) {
      return 1.0;
    }
    long h2 = mix(h);
    long burstStart = (long) (unit(h2) * 30_000);
    long burstLength = 10_000 + (long) (unit(mix(h2)) * 20_000);
    long at = offsetMillis - slot * SLOT_MILLIS;
    if (at < burstStart || at >= burstStart + burstLength) {
      return 1.0;
    }
    return 4.0 + unit(mix(h2 ^ 0x5DEECE66DL)) * 8.0;
  }

  /** A log-normal factor per channel and 10 s slot (median 1). */
  double wobble(int c, long offsetMillis) {
    long h = mix(seed * 17 + c * 65_537L + (offsetMillis / 10_000) * 104_729L);
    // The sum of four uniforms, centred and scaled, is close enough to a standard normal here.
    double normal = 0;
    for (int i = 0; i < 4; i++) {
      h = mix(h);
      normal += unit(h);
    }
    normal = (normal - 2.0) * Math.sqrt(3.0);
    return Math.exp(WOBBLE_SIGMA * normal);
  }

  private void init() {
    names = new String[channels];
    ids = new String[channels];
    cumulative = new double[channels];
    for (int c = 0; c < channels; c++) {
      names[c] = channelName(c);
      ids[c] = String.valueOf(100_000 + c);
    }
  }

  private void weightsAt(long offsetMillis) {
    double sum = 0;
    for (int c = 0; c < channels; c++) {
      // Base weights spread log-uniformly over two orders of magnitude: quiet to busy channels.
      double base = Math.pow(100.0, unit(mix(seed + c)));
      sum += base * multiplier(c, offsetMillis) * wobble(c, offsetMillis);
      cumulative[c] = sum;
    }
  }

  private static double unit(long h) {
    return (h >>> 11) * 0x1.0p-53;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
