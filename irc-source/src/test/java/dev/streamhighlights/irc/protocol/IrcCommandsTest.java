package dev.streamhighlights.irc.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class IrcCommandsTest {

  @Test
  void joinsSeveralChannelsInOneLine() {
    assertThat(IrcCommands.join(List.of("xqc", "shroud"))).isEqualTo("JOIN #xqc,#shroud");
    assertThat(IrcCommands.part(List.of("xqc"))).isEqualTo("PART #xqc");
  }

  @Test
  void normalizesChannelNamesAndRejectsWhatIsNotALogin() {
    assertThat(IrcCommands.channel(" #XQC ")).isEqualTo("xqc");
    assertThatThrownBy(() -> IrcCommands.channel("evil\r\nPRIVMSG #x :spam"))
        .hasMessageContaining("is not a Twitch login")
        .hasMessageNotContaining("\n");
    assertThatThrownBy(() -> IrcCommands.join(List.of("a b")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> IrcCommands.channel("x".repeat(26)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void outgoingLinesNeverCarryCrLfOrNul() {
    String[] lines = {
      IrcCommands.pong(":tmi.twitch.tv\r\nJOIN #evil"),
      IrcCommands.pass("abc\r\ndef\0"),
      IrcCommands.ping("x\ny"),
      IrcCommands.nick("justinfan123"),
      IrcCommands.capabilities()
    };
    for (String l : lines) {
      assertThat(l).doesNotContain("\r", "\n", "\0");
    }
    assertThat(IrcCommands.pong(":tmi.twitch.tv")).isEqualTo("PONG :tmi.twitch.tv");
    assertThat(IrcCommands.pass("abc")).isEqualTo("PASS oauth:abc");
    assertThat(IrcCommands.pass("oauth:abc")).isEqualTo("PASS oauth:abc");
  }

  @Test
  void refusesANickThatIsNotALogin() {
    assertThatThrownBy(() -> IrcCommands.nick("bad nick"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
