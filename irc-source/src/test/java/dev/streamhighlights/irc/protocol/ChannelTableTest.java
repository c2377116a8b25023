package dev.streamhighlights.irc.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ChannelTableTest {

  @Test
  void findsChannelsByTheirBytesAndForgetsRemovedOnes() {
    ChannelTable t = new ChannelTable();
    for (int i = 0; i < 500; i++) {
      t.add("channel_" + i);
    }
    byte[] line = "PRIVMSG #channel_417 :x".getBytes(StandardCharsets.US_ASCII);
    assertThat(t.lookup(line, 9, 20).name).isEqualTo("channel_417");
    assertThat(t.size()).isEqualTo(500);

    ChannelTable copy = t.copy();
    copy.remove("channel_417");
    assertThat(copy.lookup(line, 9, 20)).isNull();
    assertThat(t.lookup(line, 9, 20)).as("the original is unchanged").isNotNull();
    assertThat(copy.size()).isEqualTo(499);
    assertThat(copy.names()).hasSize(499).doesNotContain("channel_417");
  }
}
