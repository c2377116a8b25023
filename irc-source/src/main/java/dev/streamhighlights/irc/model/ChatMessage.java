package dev.streamhighlights.irc.model;

import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * One chat message, reduced to what the highlight detector counts, or a marker that the source
 * (re)started watching a channel. Message text and user names are never kept.
 *
 * <p>A {@link Kind#WATCH_START} marker says: from {@code eventTime} on this channel's chat is read
 * again (first join, rejoin after a reconnect, a job restored from a checkpoint), and nothing is
 * known about the time before it. Windows the source did not watch are unknown, not quiet, so the
 * detector rebuilds the channel's history after a marker instead of taking the gap for zeros.
 *
 * @param channel the channel's login name, lower case (the IRC channel without '#')
 * @param channelId the broadcaster's user id (Twitch's {@code room-id}); clip creation needs it.
 *     Empty on a marker whose room id is not known yet.
 * @param eventTime server time of the message in epoch milliseconds (Twitch's {@code tmi-sent-ts});
 *     for a marker, when watching started
 * @param kind a message, or a marker
 */
@TypeInfo(ChatMessageTypeInfo.Factory.class)
public record ChatMessage(String channel, String channelId, long eventTime, Kind kind) {

  /** What a {@link ChatMessage} stands for. */
  public enum Kind {
    /** One chat message. */
    MESSAGE,
    /** The source (re)started watching the channel; earlier windows are unknown. */
    WATCH_START
  }

  public ChatMessage {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(channelId, "channelId");
    Objects.requireNonNull(kind, "kind");
  }

  /** A chat message. */
  public ChatMessage(String channel, String channelId, long eventTime) {
    this(channel, channelId, eventTime, Kind.MESSAGE);
  }

  /** The marker that watching {@code channel} (re)started at {@code eventTime}. */
  public static ChatMessage watchStart(String channel, String channelId, long eventTime) {
    return new ChatMessage(
        channel, channelId == null ? "" : channelId, eventTime, Kind.WATCH_START);
  }

  public boolean isMessage() {
    return kind == Kind.MESSAGE;
  }
}
