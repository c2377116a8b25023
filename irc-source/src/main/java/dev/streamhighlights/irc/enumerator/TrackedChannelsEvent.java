package dev.streamhighlights.irc.enumerator;

import java.util.Set;
import org.apache.flink.api.connector.source.SourceEvent;

/**
 * Sent to a reader when it registers: every channel the job tracks. The reader leaves any other
 * channel it restored from its own state, so a restored job reads what its configuration says, not
 * what the previous run read.
 */
public record TrackedChannelsEvent(Set<String> channels) implements SourceEvent {}
