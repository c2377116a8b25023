package dev.streamhighlights.job.model;

/**
 * A confirmed surge: one moment worth a clip.
 *
 * @param detectedAt event time (ms) at which the highlight fired, when a live clip is requested
 * @param surges how many surge windows confirmed it
 * @param clipSeconds clip length; the clip covers the {@code clipSeconds} before {@code detectedAt}
 */
public record Highlight(
    String channel,
    String channelId,
    long windowStart,
    long windowEnd,
    long detectedAt,
    long count,
    double movingAverage,
    double derivative,
    double score,
    int surges,
    int clipSeconds,
    long runStart,
    String rule) {

  /** The deterministic document id (channel and window), so a replay upserts instead of adding. */
  public String id() {
    return channel + ":" + windowStart;
  }

  /** The highlight for the last surge of a confirmed sequence. */
  public static Highlight confirmedBy(Surge last, int surges, int clipSeconds) {
    return new Highlight(
        last.channel(),
        last.channelId(),
        last.windowStart(),
        last.windowEnd(),
        last.windowEnd(),
        last.count(),
        last.movingAverage(),
        last.derivative(),
        last.score(),
        surges,
        clipSeconds,
        last.runStart(),
        last.rule());
  }
}
