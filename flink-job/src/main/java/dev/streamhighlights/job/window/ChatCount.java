package dev.streamhighlights.job.window;

import java.util.Arrays;
import java.util.Objects;

/**
 * Part of one channel's count for one window, counted before the {@code keyBy} by {@link
 * PartialCounts}: the window operator adds these up instead of receiving every message. A late
 * message travels alone ({@code messages} 1) and is still found late by the window operator.
 *
 * @param channel the channel's login name
 * @param channelId the broadcaster's user id; empty when only a marker without it was seen
 * @param eventTime the newest event time among what was counted (inside the window)
 * @param messages chat messages counted
 * @param watchStarted whether a watch-start marker was among them (see {@code ChatMessage})
 * @param seconds the messages per second of the clock within the window ({@link SecondCounts}), or
 *     null when not counted
 */
public record ChatCount(
    String channel,
    String channelId,
    long eventTime,
    long messages,
    boolean watchStarted,
    int[] seconds) {

  /** A count without its messages per second. */
  public ChatCount(
      String channel, String channelId, long eventTime, long messages, boolean watchStarted) {
    this(channel, channelId, eventTime, messages, watchStarted, null);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChatCount c
        && Objects.equals(channel, c.channel)
        && Objects.equals(channelId, c.channelId)
        && eventTime == c.eventTime
        && messages == c.messages
        && watchStarted == c.watchStarted
        && Arrays.equals(seconds, c.seconds);
  }

  @Override
  public int hashCode() {
    return Objects.hash(channel, channelId, eventTime, messages, watchStarted)
        + 31 * Arrays.hashCode(seconds);
  }

  @Override
  public String toString() {
    return "ChatCount[channel="
        + channel
        + ", channelId="
        + channelId
        + ", eventTime="
        + eventTime
        + ", messages="
        + messages
        + ", watchStarted="
        + watchStarted
        + ", seconds="
        + Arrays.toString(seconds)
        + "]";
  }
}
