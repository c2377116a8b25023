package dev.streamhighlights.job.model;

/**
 * Messages a channel received in one event-time window: the downsampled series the detector reads
 * and the activity collection stores.
 *
 * @param watchStarted the source (re)started watching the channel during this window (first join,
 *     rejoin, restore): the window is incomplete and the time before it unknown, so the detector
 *     starts the channel's history over instead of counting the gap as quiet
 */
public record ChannelActivity(
    String channel,
    String channelId,
    long windowStart,
    long windowEnd,
    long count,
    boolean watchStarted) {

  /** A window watched from start to end. */
  public ChannelActivity(
      String channel, String channelId, long windowStart, long windowEnd, long count) {
    this(channel, channelId, windowStart, windowEnd, count, false);
  }

  /** The deterministic document id: one document per channel and window, whatever replays. */
  public String id() {
    return channel + ":" + windowStart;
  }
}
