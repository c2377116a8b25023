package dev.streamhighlights.irc.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamhighlights.irc.enumerator.ChannelAssignmentsSerializer;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SerializersTest {

  @Test
  void splitsRoundTrip() throws Exception {
    ChannelSplitSerializer s = new ChannelSplitSerializer();
    ChannelSplit split = new ChannelSplit("xqc");
    assertThat(s.deserialize(s.getVersion(), s.serialize(split))).isEqualTo(split);
  }

  @Test
  void assignmentsRoundTripInOrder() throws Exception {
    ChannelAssignmentsSerializer s = new ChannelAssignmentsSerializer();
    Map<String, Integer> a = new LinkedHashMap<>();
    a.put("xqc", 0);
    a.put("shroud", 1);
    a.put("new_one", -1);
    assertThat(s.deserialize(s.getVersion(), s.serialize(a))).containsExactlyEntriesOf(a);
  }

  /**
   * Version 1's bytes, written out: savepoints hold them, so a change (a rename, a refactoring)
   * that alters them breaks every restore without a new version number.
   */
  @Test
  void version1BytesAreUnchanged() throws Exception {
    byte[] split = {0, 3, 'x', 'q', 'c'};
    ChannelSplitSerializer s = new ChannelSplitSerializer();
    assertThat(s.serialize(new ChannelSplit("xqc"))).isEqualTo(split);
    assertThat(s.deserialize(1, split)).isEqualTo(new ChannelSplit("xqc"));

    byte[] assignments = {0, 0, 0, 2, 0, 3, 'x', 'q', 'c', 0, 0, 0, 1, 0, 1, 'a', -1, -1, -1, -1};
    Map<String, Integer> a = new LinkedHashMap<>();
    a.put("xqc", 1);
    a.put("a", -1);
    ChannelAssignmentsSerializer e = new ChannelAssignmentsSerializer();
    assertThat(e.serialize(a)).isEqualTo(assignments);
    assertThat(e.deserialize(1, assignments)).containsExactlyEntriesOf(a);
  }

  @Test
  void unknownVersionsAreRefused() throws Exception {
    ChannelSplitSerializer s = new ChannelSplitSerializer();
    byte[] bytes = s.serialize(new ChannelSplit("xqc"));
    assertThatThrownBy(() -> s.deserialize(2, bytes))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("version 2");
    ChannelAssignmentsSerializer a = new ChannelAssignmentsSerializer();
    assertThatThrownBy(() -> a.deserialize(0, a.serialize(Map.of())))
        .isInstanceOf(IOException.class);
  }
}
