package dev.streamhighlights.irc.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamhighlights.irc.protocol.TwitchLine.Command;
import org.junit.jupiter.api.Test;

/** Real wire lines, as Twitch sends them (user names and text changed). */
class TwitchLineTest {

  static final String PRIVMSG =
      "@badge-info=subscriber/8;badges=subscriber/6,premium/1;client-nonce=9bd5cd6bbe8f2a1e;"
          + "color=#0000FF;display-name=SomeViewer;emotes=;first-msg=0;flags=;"
          + "id=b34ccfc7-4977-403a-8a94-33c6bac34fb8;mod=0;returning-chatter=0;room-id=71092938;"
          + "subscriber=1;tmi-sent-ts=1642696567751;turbo=0;user-id=12345678;user-type= "
          + ":someviewer!someviewer@someviewer.tmi.twitch.tv PRIVMSG #xqc :LULW that was close";

  private final TwitchLine line = new TwitchLine();

  @Test
  void readsChannelRoomIdAndServerTimeOfATaggedPrivmsg() {
    assertThat(line.parse(PRIVMSG)).isTrue();
    assertThat(line.command()).isEqualTo(Command.PRIVMSG);
    assertThat(line.channel()).isEqualTo("xqc");
    assertThat(line.roomId()).isEqualTo("71092938");
    assertThat(line.tmiSentTs()).isEqualTo(1642696567751L);
    assertThat(line.messageId()).isEqualTo("b34ccfc7-4977-403a-8a94-33c6bac34fb8");
    assertThat(line.isSharedChatCopy()).isFalse();
  }

  @Test
  void parsesInPlaceInsideALargerBuffer() {
    byte[] buf = ("xx" + PRIVMSG + "\r\nyy").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(line.parse(buf, 2, 2 + PRIVMSG.length())).isTrue();
    assertThat(line.channel()).isEqualTo("xqc");
    assertThat(line.tmiSentTs()).isEqualTo(1642696567751L);
  }

  @Test
  void recognisesSharedChatCopiesByTheirSourceRoom() {
    String copy =
        "@badge-info=;badges=;color=;display-name=Other;emotes=;flags=;id=4c2f;mod=0;"
            + "room-id=71092938;source-badge-info=;source-badges=;source-id=9a8b;"
            + "source-room-id=22484632;subscriber=0;tmi-sent-ts=1726000000000;turbo=0;user-id=1;"
            + "user-type= :other!other@other.tmi.twitch.tv PRIVMSG #xqc :hi";
    assertThat(line.parse(copy)).isTrue();
    assertThat(line.isSharedChatCopy()).isTrue();

    String origin = copy.replace("room-id=71092938;", "room-id=22484632;");
    assertThat(line.parse(origin)).isTrue();
    assertThat(line.isSharedChatCopy()).isFalse();
  }

  @Test
  void readsTheServerCommandsTheConnectionActsOn() {
    assertThat(line.parse("PING :tmi.twitch.tv")).isTrue();
    assertThat(line.command()).isEqualTo(Command.PING);
    assertThat(line.params()).isEqualTo(":tmi.twitch.tv");

    assertThat(line.parse(":tmi.twitch.tv RECONNECT")).isTrue();
    assertThat(line.command()).isEqualTo(Command.RECONNECT);

    assertThat(line.parse(":tmi.twitch.tv NOTICE * :Login authentication failed")).isTrue();
    assertThat(line.command()).isEqualTo(Command.NOTICE);
    assertThat(line.params()).isEqualTo("* :Login authentication failed");

    assertThat(line.parse(":tmi.twitch.tv 001 justinfan12345 :Welcome, GLHF!")).isTrue();
    assertThat(line.command()).isEqualTo(Command.WELCOME);

    assertThat(line.parse(":tmi.twitch.tv CAP * ACK :twitch.tv/tags twitch.tv/commands")).isTrue();
    assertThat(line.command()).isEqualTo(Command.CAP);

    assertThat(line.parse(":justinfan12345!justinfan12345@justinfan12345.tmi.twitch.tv JOIN #xqc"))
        .isTrue();
    assertThat(line.command()).isEqualTo(Command.JOIN);
    assertThat(line.channel()).isEqualTo("xqc");

    assertThat(
            line.parse(
                "@emote-only=0;followers-only=-1;r9k=0;room-id=71092938;slow=0;subs-only=0"
                    + " :tmi.twitch.tv ROOMSTATE #xqc"))
        .isTrue();
    assertThat(line.command()).isEqualTo(Command.ROOMSTATE);
    assertThat(line.roomId()).isEqualTo("71092938");
  }

  @Test
  void readsAUsernoticeAsItsOwnKind() {
    String raid =
        "@badge-info=;badges=;color=#FF0000;display-name=Raider;emotes=;flags=;id=3d830f12;"
            + "login=raider;mod=0;msg-id=raid;msg-param-displayName=Raider;msg-param-login=raider;"
            + "msg-param-viewerCount=1234;room-id=71092938;subscriber=0;"
            + "system-msg=1234\\sraiders\\sfrom\\sRaider;tmi-sent-ts=1726000000123;user-id=42;"
            + "user-type= :tmi.twitch.tv USERNOTICE #xqc";
    assertThat(line.parse(raid)).isTrue();
    assertThat(line.command()).isEqualTo(Command.USERNOTICE);
    assertThat(line.channel()).isEqualTo("xqc");
    assertThat(line.tmiSentTs()).isEqualTo(1726000000123L);
  }

  @Test
  void rejectsMalformedLines() {
    assertThat(line.parse("")).isFalse();
    assertThat(line.parse("@tmi-sent-ts=123")).as("tags without a command").isFalse();
    assertThat(line.parse("@tmi-sent-ts=12x3 :a!a@a PRIVMSG #c :x")).as("bad timestamp").isFalse();
    assertThat(line.parse("@tmi-sent-ts= :a!a@a PRIVMSG #c :x")).as("empty timestamp").isFalse();
    assertThat(line.parse("@room-id=1 :a!a@a PRIVMSG")).as("PRIVMSG without channel").isFalse();
    assertThat(line.parse("@room-id=1 :a!a@a PRIVMSG # :x")).as("empty channel").isFalse();
    assertThat(line.parse(":prefix-only")).isFalse();
  }

  @Test
  void ignoresCommandsItDoesNotKnow() {
    assertThat(line.parse(":tmi.twitch.tv CLEARCHAT #xqc :someone")).isTrue();
    assertThat(line.command()).isEqualTo(Command.OTHER);
  }
}
