package dev.streamhighlights.irc.split;

import java.util.Objects;
import org.apache.flink.api.connector.source.SourceSplit;

/**
 * One channel's chat: the unit the enumerator hands to readers. Immutable; live chat has no offset
 * to resume from, so the channel name is the whole split.
 */
public final class IrcChannelSplit implements SourceSplit {

  private final String channel;

  public IrcChannelSplit(String channel) {
    this.channel = Objects.requireNonNull(channel);
  }

  public String channel() {
    return channel;
  }

  @Override
  public String splitId() {
    return channel;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IrcChannelSplit other && other.channel.equals(channel);
  }

  @Override
  public int hashCode() {
    return channel.hashCode();
  }

  @Override
  public String toString() {
    return "IrcChannelSplit{" + channel + "}";
  }
}
