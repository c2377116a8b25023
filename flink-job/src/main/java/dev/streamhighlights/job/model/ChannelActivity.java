package dev.streamhighlights.job.model;

/**
 * Messages a channel received in one event-time window: the downsampled series the detector reads
 * and the activity collection stores.
 *
 * @param watchStarted the source (re)started watching the channel during this window (first join,
 *     rejoin, restore): the window is incomplete and the time before it unknown, so the detector
 *     starts the channel's history over instead of counting the gap as quiet
 * @param late messages of a window that had closed already ({@code count} of them): not a window of
 *     its own but what the window's count missed, which the detector adds to its history (never
 *     stored, never a highlight)
 * @param peak the most messages in one second of the window (the excess rule's {@code min-peak}),
 *     or -1 when not known (then not asked for)
 */
public record ChannelActivity(
    String channel,
    String channelId,
    long windowStart,
    long windowEnd,
    long count,
    boolean watchStarted,
    boolean late,
    int peak) {

  /** Activity whose peak is not known. */
  public ChannelActivity(
      String channel,
      String channelId,
      long windowStart,
      long windowEnd,
      long count,
      boolean watchStarted,
      boolean late) {
    this(channel, channelId, windowStart, windowEnd, count, watchStarted, late, -1);
  }

  /** A window watched from start to end. */
  public ChannelActivity(
      String channel, String channelId, long windowStart, long windowEnd, long count) {
    this(channel, channelId, windowStart, windowEnd, count, false, false, -1);
  }

  /** A window, flagged when the source (re)started watching the channel during it. */
  public ChannelActivity(
      String channel,
      String channelId,
      long windowStart,
      long windowEnd,
      long count,
      boolean watchStarted) {
    this(channel, channelId, windowStart, windowEnd, count, watchStarted, false, -1);
  }

  /** The deterministic document id: one document per channel and window, whatever replays. */
  public String id() {
    return channel + ":" + windowStart;
  }
}
