package dev.streamhighlights.irc.enumerator;

import java.util.List;
import org.apache.flink.api.connector.source.SourceEvent;

/**
 * Sent by a reader to the enumerator when it starts: the channels it restored from its own state.
 * After a rescale Flink spreads restored splits over the readers by its own rule, so only the
 * readers know who holds which channel; the enumerator needs that to send a retirement to the
 * reader that reads the channel.
 */
public record RestoredChannelsEvent(List<String> channels) implements SourceEvent {

  public RestoredChannelsEvent {
    channels = List.copyOf(channels);
  }
}
