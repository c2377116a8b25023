package dev.streamhighlights.irc.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class IrcChannelSplitSerializerTest {

  @Test
  void splitsRoundTrip() throws Exception {
    IrcChannelSplitSerializer s = new IrcChannelSplitSerializer();
    IrcChannelSplit split = new IrcChannelSplit("xqc");
    assertThat(s.deserialize(s.getVersion(), s.serialize(split))).isEqualTo(split);
  }

  /**
   * Version 1's bytes, written out: savepoints hold them, so a change (a rename, a refactoring)
   * that alters them breaks every restore without a new version number.
   */
  @Test
  void version1BytesAreUnchanged() throws Exception {
    byte[] split = {0, 3, 'x', 'q', 'c'};
    IrcChannelSplitSerializer s = new IrcChannelSplitSerializer();
    assertThat(s.serialize(new IrcChannelSplit("xqc"))).isEqualTo(split);
    assertThat(s.deserialize(1, split)).isEqualTo(new IrcChannelSplit("xqc"));
  }

  @Test
  void unknownVersionsAreRefused() throws Exception {
    IrcChannelSplitSerializer s = new IrcChannelSplitSerializer();
    byte[] bytes = s.serialize(new IrcChannelSplit("xqc"));
    assertThatThrownBy(() -> s.deserialize(2, bytes))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("version 2");
  }
}
