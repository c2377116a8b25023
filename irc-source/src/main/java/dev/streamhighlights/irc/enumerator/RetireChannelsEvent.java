package dev.streamhighlights.irc.enumerator;

import java.util.List;
import org.apache.flink.api.connector.source.SourceEvent;

/** Tells a reader to leave channels whose streams ended. */
public record RetireChannelsEvent(List<String> channels) implements SourceEvent {}
