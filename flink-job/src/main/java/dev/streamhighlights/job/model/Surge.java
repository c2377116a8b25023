package dev.streamhighlights.job.model;

/**
 * A window in which a channel's chat rose above what its recent history predicts.
 *
 * @param runStart start of the first window of the run of consecutive surge windows this one
 *     belongs to; one run is one moment
 * @param movingAverage the rule's baseline (messages per window)
 * @param derivative change of the count against the previous window
 * @param score how far above the baseline, in the rule's own unit
 */
public record Surge(
    String channel,
    String channelId,
    long windowStart,
    long windowEnd,
    long count,
    double movingAverage,
    double derivative,
    double score,
    long runStart,
    String rule) {}
