package dev.streamhighlights.irc.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamhighlights.irc.config.Secrets;
import dev.streamhighlights.irc.connection.ChatIdentity;
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
    assertThat(source.chatSettings().identities()).hasSize(1);
    ChatIdentity identity = source.chatSettings().identities().get(0);
    assertThat(identity.joinLimit()).isEqualTo(20);
    assertThat(identity.joinWindow()).isEqualTo(Duration.ofSeconds(10));
    assertThat(identity.isAnonymous()).isTrue();
    assertThat(identity.nick()).matches("justinfan\\d+");
    assertThat(identity.maxChannels()).isEqualTo(ChatIdentity.NO_CAP);
    // The source travels with the job graph.
    assertThat(InstantiationUtil.clone(source)).isNotNull();
  }

  @Test
  void anonymousIdentitiesHaveDistinctNicksAndALoginComesFirstWithTwitchsAccountLimits() {
    IrcSource source =
        IrcSource.builder()
            .channels(List.of("a"))
            .login("Bot", "TOKEN")
            .anonymousIdentities(3, 5, Duration.ofMillis(500), 30)
            .build();
    List<ChatIdentity> ids = source.chatSettings().identities();
    assertThat(ids).hasSize(4);
    assertThat(ids.get(0))
        .isEqualTo(new ChatIdentity("bot", "TOKEN", 20, Duration.ofSeconds(10), 100));
    assertThat(ids.subList(1, 4))
        .allSatisfy(
            id -> {
              assertThat(id.isAnonymous()).isTrue();
              assertThat(id.nick()).matches("justinfan\\d+");
              assertThat(id.joinLimit()).isEqualTo(5);
              assertThat(id.joinWindow()).isEqualTo(Duration.ofMillis(500));
              assertThat(id.maxChannels()).isEqualTo(30);
            });
    assertThat(ids.stream().map(ChatIdentity::nick).distinct()).hasSize(4);
    // A login alone replaces the anonymous default, as before identities.
    assertThat(
            IrcSource.builder()
                .channels(List.of("a"))
                .login("bot", "TOKEN")
                .loginLimits(2_000, Duration.ofSeconds(10), 100)
                .build()
                .chatSettings()
                .identities())
        .containsExactly(new ChatIdentity("bot", "TOKEN", 2_000, Duration.ofSeconds(10), 100));
  }

  @Test
  void identitiesAreSharedOutAmongReadersSoNoTwoReadersShareOne() {
    IrcSource source =
        IrcSource.builder()
            .channels(List.of("a"))
            .anonymousIdentities(5, 20, Duration.ofSeconds(10), ChatIdentity.NO_CAP)
            .build();
    List<ChatIdentity> all = source.chatSettings().identities();
    List<ChatIdentity> r0 = source.chatSettings().forReader(0, 2).identities();
    List<ChatIdentity> r1 = source.chatSettings().forReader(1, 2).identities();
    assertThat(r0).containsExactly(all.get(0), all.get(2), all.get(4));
    assertThat(r1).containsExactly(all.get(1), all.get(3));
    assertThat(source.chatSettings().forReader(5, 6).identities()).isEmpty();
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
    assertThatThrownBy(
            () ->
                IrcSource.builder()
                    .channels(List.of("a"))
                    .anonymousIdentities(0, 20, Duration.ofSeconds(10), 90)
                    .build())
        .hasMessageContaining("no chat identity");
    assertThatThrownBy(
            () ->
                IrcSource.builder()
                    .channels(List.of("a"))
                    .anonymousIdentities(2, 20, Duration.ofSeconds(10), 0)
                    .build())
        .hasMessageContaining("anonymous max channels must be at least 1");
  }

  @Test
  void aChatLoginGoesOverTlsOrToThisMachineOnly() {
    Secrets token = Secrets.of(Map.of("TOKEN", "secret"));
    assertThatThrownBy(
            () ->
                IrcSource.builder()
                    .channels(List.of("a"))
                    .endpoint(URI.create("irc://chat.example.com:6667"))
                    .login("bot", "TOKEN")
                    .secrets(token)
                    .build())
        .hasMessage(
            "a chat login sends its OAuth token: chat endpoint irc://chat.example.com:6667 must be"
                + " ircs:// or wss:// (irc:// and ws:// only to 127.0.0.1, localhost or [::1])");
    assertThatThrownBy(
            () ->
                IrcSource.builder()
                    .channels(List.of("a"))
                    .endpoint(URI.create("ws://10.0.0.5/chat"))
                    .login("bot", "TOKEN")
                    .build())
        .hasMessageContaining("chat endpoint ws://10.0.0.5/chat must be ircs:// or wss://");
    for (String ok :
        List.of("ircs://irc.chat.twitch.tv:6697", "irc://127.0.0.1:6667", "ws://localhost:80")) {
      assertThat(
              IrcSource.builder()
                  .channels(List.of("a"))
                  .endpoint(URI.create(ok))
                  .login("bot", "TOKEN")
                  .build())
          .isNotNull();
    }
    // Anonymous reading sends no secret: plain irc:// anywhere is the user's choice.
    assertThat(
            IrcSource.builder()
                .channels(List.of("a"))
                .endpoint(URI.create("irc://chat.example.com:6667"))
                .build())
        .isNotNull();
  }

  @Test
  void helixAndOAuthUrlsMustBeHttpsOrLocal() {
    Secrets app = Secrets.of(Map.of("TWITCH_CLIENT_ID", "id", "TWITCH_CLIENT_SECRET", "secret"));
    assertThatThrownBy(
            () ->
                IrcSource.builder()
                    .topStreams(10, Duration.ofMinutes(5))
                    .helix("http://api.example.com/helix", "https://id.twitch.tv/oauth2")
                    .secrets(app)
                    .build())
        .hasMessage(
            "Helix URL 'http://api.example.com/helix' is not an https:// URL (http:// only to"
                + " 127.0.0.1, localhost or [::1])");
    assertThatThrownBy(
            () ->
                IrcSource.builder()
                    .topStreams(10, Duration.ofMinutes(5))
                    .helix("https://api.twitch.tv/helix", "id.twitch.tv/oauth2")
                    .secrets(app)
                    .build())
        .hasMessageStartingWith("OAuth URL 'id.twitch.tv/oauth2' is not an https:// URL");
    assertThat(
            IrcSource.builder()
                .topStreams(10, Duration.ofMinutes(5))
                .helix("http://127.0.0.1:8080/helix", "http://[::1]:8080/oauth2")
                .secrets(app)
                .build())
        .isNotNull();
  }

  @Test
  void allLiveStreamsAreListedAtMostEveryTwoMinutes() {
    Secrets app = Secrets.of(Map.of("TWITCH_CLIENT_ID", "id", "TWITCH_CLIENT_SECRET", "secret"));
    assertThatThrownBy(
            () -> IrcSource.builder().allLiveStreams(Duration.ofMinutes(1)).secrets(app).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "the discovery interval of all live streams must be at least 2 min (one listing"
                + " takes more than a minute), not 60 s");
    assertThat(IrcSource.builder().allLiveStreams(Duration.ofMinutes(2)).secrets(app).build())
        .isNotNull();
    assertThatThrownBy(
            () ->
                IrcSource.builder().topStreams(10_001, Duration.ofMinutes(5)).secrets(app).build())
        .hasMessage("top streams: at most 10000 (or all live streams), not 10001");
  }

  @Test
  void aHundredThousandFixedChannelsTravelInAboutAMegabyte() throws Exception {
    List<String> channels =
        java.util.stream.IntStream.range(0, 100_000).mapToObj(i -> "channel_" + i).toList();
    IrcSource source = IrcSource.builder().channels(channels).build();
    int bytes = InstantiationUtil.serializeObject(source).length;
    assertThat(bytes).isBetween(1_000_000, 2_000_000);
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
