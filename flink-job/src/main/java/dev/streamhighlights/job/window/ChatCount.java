package dev.streamhighlights.job.window;

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
 */
public record ChatCount(
    String channel, String channelId, long eventTime, long messages, boolean watchStarted) {}
