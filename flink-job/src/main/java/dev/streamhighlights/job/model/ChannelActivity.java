package dev.streamhighlights.job.model;

/**
 * Messages a channel received in one event-time window: the downsampled series the detector reads
 * and the activity collection stores.
 */
public record ChannelActivity(
    String channel, String channelId, long windowStart, long windowEnd, long count) {

  /** The deterministic document id: one document per channel and window, whatever replays. */
  public String id() {
    return channel + ":" + windowStart;
  }
}
