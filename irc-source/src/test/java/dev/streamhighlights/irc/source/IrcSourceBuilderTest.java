package dev.streamhighlights.irc.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamhighlights.irc.config.Secrets;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

class IrcSourceBuilderTest {

  @Test
  void defaultsToTwitchsRealEndpointAndLimits() throws Exception {
    IrcSource source = IrcSource.builder().channels(List.of("#XQC", "shroud")).build();
    assertThat(source.chatSettings().endpoint())
        .isEqualTo(URI.create("ircs://irc.chat.twitch.tv:6697"));
    assertThat(source.chatSettings().maxChannelsPerConnection()).isEqualTo(90);
    assertThat(source.chatSettings().joinLimit()).isEqualTo(20);
    assertThat(source.chatSettings().joinWindow()).isEqualTo(Duration.ofSeconds(10));
    assertThat(source.chatSettings().nick()).isNull();
    // The source travels with the job graph.
    assertThat(InstantiationUtil.clone(source)).isNotNull();
  }

  @Test
  void namesWhatIsWrong() {
    assertThatThrownBy(() -> IrcSource.builder().build())
        .hasMessageContaining("either a channel list or a number of top streams");
    assertThatThrownBy(() -> IrcSource.builder().channels(List.of("no spaces allowed")).build())
        .hasMessageContaining("is not a Twitch login");
    assertThatThrownBy(
            () ->
                IrcSource.builder().channels(List.of("a")).endpoint(URI.create("http://x")).build())
        .hasMessageContaining("use ircs://host:port or wss://host");
    assertThatThrownBy(
            () -> IrcSource.builder().channels(List.of("a")).maxChannelsPerConnection(0).build())
        .hasMessageContaining("maxChannelsPerConnection must be at least 1");
    assertThatThrownBy(() -> IrcSource.builder().channels(List.of("a")).login("bot", null).build())
        .hasMessageContaining("needs both a nick and the token's environment variable");
  }

  @Test
  void topStreamsWithoutCredentialsSaysOnlyFixedListsWork() {
    assertThatThrownBy(
            () ->
                IrcSource.builder()
                    .topStreams(40, Duration.ofMinutes(5))
                    .secrets(Secrets.of(Map.of()))
                    .build())
        .hasMessageContaining("TWITCH_CLIENT_ID and TWITCH_CLIENT_SECRET")
        .hasMessageContaining("only a fixed channel list works");
  }
}
