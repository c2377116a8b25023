package dev.streamhighlights.simulator;

/**
 * One simulated streamer: a base chat rate and a schedule of moments that make chat erupt. The
 * schedule is a pure function of the seed and the time, so two runs with one seed behave alike.
 */
final class SimulatedChannel {

  /** What makes a channel's chat erupt, and how. */
  enum Moment {
    NONE(1.0),
    /** A play, a goal, a fail: chat jumps several-fold for 10-30 s. */
    SURGE(6.0),
    /** Another streamer raids with their viewers: a raid notice, then a long busy stretch. */
    RAID(4.0),
    /** A copy-paste flood: very many messages for a few seconds. */
    FLOOD(15.0);

    final double factor;

    Moment(double factor) {
      this.factor = factor;
    }
  }

  static final long SLOT_MILLIS = 90_000;

  final String name;
  final String roomId;
  final double baseRate;
  private final long seed;

  SimulatedChannel(String name, String roomId, double baseRate, long seed) {
    this.name = name;
    this.roomId = roomId;
    this.baseRate = baseRate;
    this.seed = seed;
  }

  /** The moment at {@code offsetMillis} since the simulation started. */
  Moment momentAt(long offsetMillis) {
    long slot = offsetMillis / SLOT_MILLIS;
    long h = mix(seed * 1_000_003L + slot);
    double u = unit(h);
    Moment kind =
        u < 0.25 ? Moment.SURGE : u < 0.32 ? Moment.RAID : u < 0.38 ? Moment.FLOOD : Moment.NONE;
    if (kind == Moment.NONE || slot == 0) {
      return Moment.NONE;
    }
    long start = (long) (unit(mix(h)) * 40_000);
    long length =
        switch (kind) {
          case SURGE -> 10_000 + (long) (unit(mix(h + 1)) * 20_000);
          case RAID -> 30_000 + (long) (unit(mix(h + 2)) * 20_000);
          default -> 3_000 + (long) (unit(mix(h + 3)) * 3_000);
        };
    long at = offsetMillis - slot * SLOT_MILLIS;
    return at >= start && at < start + length ? kind : Moment.NONE;
  }

  /** Whether {@code offsetMillis} is the first tick of a raid (its notice is sent then). */
  boolean raidStartsIn(long fromMillis, long toMillis) {
    return momentAt(toMillis) == Moment.RAID && momentAt(fromMillis) != Moment.RAID;
  }

  /** Chat wobbles: a log-normal factor per 10 s slot, median 1. */
  double wobble(long offsetMillis) {
    long h = mix(seed * 31 + offsetMillis / 10_000);
    double normal = 0;
    for (int i = 0; i < 4; i++) {
      h = mix(h);
      normal += unit(h);
    }
    return Math.exp(0.3 * (normal - 2.0) * Math.sqrt(3.0));
  }

  static double unit(long h) {
    return (h >>> 11) * 0x1.0p-53;
  }

  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
