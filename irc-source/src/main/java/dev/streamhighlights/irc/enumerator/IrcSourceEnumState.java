package dev.streamhighlights.irc.enumerator;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The enumerator's checkpoint: every channel the job tracks and the reader it is assigned to
 * ({@link #UNASSIGNED} while none), in discovery order. Immutable.
 */
public record IrcSourceEnumState(Map<String, Integer> assignments) {

  /** The reader of a channel not assigned yet. */
  public static final int UNASSIGNED = -1;

  /** A new job's state: no channel tracked yet. */
  public static final IrcSourceEnumState EMPTY = new IrcSourceEnumState(Map.of());

  public IrcSourceEnumState {
    assignments = Collections.unmodifiableMap(new LinkedHashMap<>(assignments));
  }
}
