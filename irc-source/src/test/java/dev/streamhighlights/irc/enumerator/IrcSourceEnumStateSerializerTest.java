package dev.streamhighlights.irc.enumerator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IrcSourceEnumStateSerializerTest {

  @Test
  void assignmentsRoundTripInOrder() throws Exception {
    IrcSourceEnumStateSerializer s = new IrcSourceEnumStateSerializer();
    Map<String, Integer> a = new LinkedHashMap<>();
    a.put("xqc", 0);
    a.put("shroud", 1);
    a.put("new_one", -1);
    IrcSourceEnumState state = new IrcSourceEnumState(a);
    assertThat(s.deserialize(s.getVersion(), s.serialize(state)).assignments())
        .containsExactlyEntriesOf(a);
  }

  /**
   * Version 1's bytes, written out: savepoints hold them, so a change (a rename, a refactoring)
   * that alters them breaks every restore without a new version number.
   */
  @Test
  void version1BytesAreUnchanged() throws Exception {
    byte[] assignments = {0, 0, 0, 2, 0, 3, 'x', 'q', 'c', 0, 0, 0, 1, 0, 1, 'a', -1, -1, -1, -1};
    Map<String, Integer> a = new LinkedHashMap<>();
    a.put("xqc", 1);
    a.put("a", -1);
    IrcSourceEnumStateSerializer e = new IrcSourceEnumStateSerializer();
    assertThat(e.serialize(new IrcSourceEnumState(a))).isEqualTo(assignments);
    assertThat(e.deserialize(1, assignments).assignments()).containsExactlyEntriesOf(a);
  }

  @Test
  void unknownVersionsAreRefused() throws Exception {
    IrcSourceEnumStateSerializer a = new IrcSourceEnumStateSerializer();
    assertThatThrownBy(() -> a.deserialize(0, a.serialize(IrcSourceEnumState.EMPTY)))
        .isInstanceOf(IOException.class);
  }
}
