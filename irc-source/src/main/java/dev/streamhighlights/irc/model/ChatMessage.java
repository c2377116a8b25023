package dev.streamhighlights.irc.model;

import java.util.Objects;

/**
 * One chat message, reduced to what the highlight detector counts. Message text and user names are
 * never kept.
 *
 * @param channel the channel's login name, lower case (the IRC channel without '#')
 * @param channelId the broadcaster's user id (Twitch's {@code room-id}); clip creation needs it
 * @param eventTime server time of the message in epoch milliseconds (Twitch's {@code tmi-sent-ts})
 */
public record ChatMessage(String channel, String channelId, long eventTime) {

  public ChatMessage {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(channelId, "channelId");
  }
}
