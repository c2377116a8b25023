package dev.streamhighlights.irc.connection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamhighlights.irc.model.ChatMessage;
import dev.streamhighlights.simulator.ChatServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The connections against the fake Twitch chat server, over real sockets. */
class ChatClientTest {

  private static final Duration WAIT = Duration.ofSeconds(15);

  private ChatServer twitch;
  private ChatClient client;
  private final ConcurrentLinkedQueue<ChatMessage> received = new ConcurrentLinkedQueue<>();
  private final AtomicReference<Exception> fatal = new AtomicReference<>();
  private final ChatStats stats = new ChatStats();

  private final ConcurrentLinkedQueue<ChatMessage> watchStarts = new ConcurrentLinkedQueue<>();

  /** While set, the listener holds every message, as a job under backpressure does. */
  private final java.util.concurrent.atomic.AtomicBoolean holding =
      new java.util.concurrent.atomic.AtomicBoolean();

  private final ChatListener listener =
      new ChatListener() {
        @Override
        public void onMessage(ChatMessage message) throws InterruptedException {
          while (holding.get()) {
            Thread.sleep(10);
          }
          (message.isMessage() ? received : watchStarts).add(message);
        }

        @Override
        public boolean backpressured() {
          return holding.get();
        }

        @Override
        public void onFatalError(Exception error) {
          fatal.set(error);
        }
      };

  @BeforeEach
  void startServer() {
    twitch = ChatServer.start();
  }

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    twitch.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"irc", "ws"})
  void readsEveryMessageOfItsChannelsWithServerTimeAndRoomId(String flavour) throws Exception {
    twitch.setRoomId("alpha", "111");
    client = client(flavour.equals("irc") ? twitch.ircUri() : twitch.wsUri(), 90, 20);
    client.join("alpha");
    client.join("beta");
    assertThat(twitch.awaitJoined(List.of("alpha", "beta"), WAIT)).isTrue();

    twitch.sendMessages("alpha", 1_700_000_000_123L, 300);
    twitch.sendMessages("beta", 1_700_000_000_456L, 200);
    twitch.sendMessages("gamma", 1_700_000_000_789L, 50); // not joined

    await(() -> received.size() == 500);
    assertThat(received.stream().filter(m -> m.channel().equals("alpha")))
        .hasSize(300)
        .allSatisfy(
            m -> {
              assertThat(m.channelId()).isEqualTo("111");
              assertThat(m.eventTime()).isEqualTo(1_700_000_000_123L);
            });
    assertThat(stats.messages.sum()).isEqualTo(500);
    assertThat(twitch.received())
        .startsWith("CAP REQ :twitch.tv/tags twitch.tv/commands")
        .anySatisfy(l -> assertThat(l).matches("NICK justinfan\\d+"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"irc", "ws"})
  void theFakesBulkSendReachesEveryJoinedChannelOnce(String flavour) throws Exception {
    // Two connections, so each gets its own channels' share of one bulk send.
    client = client(flavour.equals("irc") ? twitch.ircUri() : twitch.wsUri(), 1, 20);
    client.join("alpha");
    client.join("beta");
    assertThat(twitch.awaitJoined(List.of("alpha", "beta"), WAIT)).isTrue();
    assertThat(twitch.totalConnections()).isEqualTo(2);

    long sent =
        twitch.sendMessages(
            Map.of("alpha", 23, "beta", 7, "gamma", 50, "#Alpha", 2), 1_700_000_000_123L);

    assertThat(sent).isEqualTo(32);
    await(() -> received.size() == 32);
    assertThat(received.stream().filter(m -> m.channel().equals("alpha"))).hasSize(25);
    assertThat(received).allSatisfy(m -> assertThat(m.eventTime()).isEqualTo(1_700_000_000_123L));
    assertThat(twitch.sentPerWindow("alpha", 10_000)).containsEntry(1_700_000_000_000L, 25L);

    // The fake keeps its channel -> client index between sends: a JOIN and a PART must show.
    client.join("gamma");
    assertThat(twitch.awaitJoined(List.of("gamma"), WAIT)).isTrue();
    assertThat(twitch.sendMessages(Map.of("gamma", 5), 1_700_000_000_456L)).isEqualTo(5);
    client.part("beta");
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (twitch.sendMessages(Map.of("beta", 1), 1_700_000_000_789L) != 0) {
      assertThat(System.nanoTime()).as("beta left within %s", WAIT).isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  @Test
  void answersPingsAndFollowsReconnectByRejoining() throws Exception {
    client = client(twitch.ircUri(), 90, 20);
    client.join("alpha");
    assertThat(twitch.awaitJoined(List.of("alpha"), WAIT)).isTrue();

    twitch.pingAll();
    await(() -> twitch.received().stream().anyMatch(l -> l.startsWith("PONG")));

    twitch.reconnectAll();
    awaitRejoined();
    twitch.sendMessages("alpha", 1000, 10);
    await(() -> received.size() == 10);
    assertThat(stats.reconnects.sum()).isEqualTo(1);
  }

  @Test
  void reconnectsAfterADroppedSocket() throws Exception {
    client = client(twitch.ircUri(), 90, 20);
    client.join("alpha");
    assertThat(twitch.awaitJoined(List.of("alpha"), WAIT)).isTrue();

    twitch.sendMessages("alpha", 500, 3);
    await(() -> received.size() == 3);

    twitch.dropAll();
    awaitRejoined();
    twitch.sendMessages("alpha", 1000, 5);
    await(() -> received.size() == 8);
    // Each time the channel is read again, its first message comes after a watch-start marker
    // with that message's time: the detector learns that it missed what came between.
    assertThat(watchStarts)
        .extracting(ChatMessage::channel, ChatMessage::eventTime)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("alpha", 500L),
            org.assertj.core.groups.Tuple.tuple("alpha", 1000L));
  }

  @Test
  void aConsumerThatIsBehindIsNotTakenForADeadConnection() throws Exception {
    client = client(twitch.ircUri(), 90, 20, Duration.ofSeconds(10), Duration.ofMillis(300));
    client.join("alpha");
    assertThat(twitch.awaitJoined(List.of("alpha"), WAIT)).isTrue();

    holding.set(true);
    twitch.sendMessages("alpha", 1000, 5);
    Thread.sleep(3000); // ten times the watchdog's silence and pong timeout
    holding.set(false);
    await(() -> received.size() == 5);
    assertThat(twitch.totalConnections()).isEqualTo(1);
    assertThat(stats.reconnects.sum()).isZero();
  }

  @Test
  void dropsAndCountsMessagesStampedInTheFuture() throws Exception {
    client = client(twitch.ircUri(), 90, 20);
    client.join("alpha");
    assertThat(twitch.awaitJoined(List.of("alpha"), WAIT)).isTrue();

    long now = System.currentTimeMillis();
    twitch.sendMessages("alpha", now + 60_000, 2); // an hour ahead would be as wrong
    twitch.sendMessages("alpha", now, 3);
    await(() -> received.size() == 3);
    assertThat(stats.futureTimestamps.sum()).isEqualTo(2);
    assertThat(received).extracting(ChatMessage::eventTime).containsOnly(now);
  }

  @Test
  void theWatchdogReconnectsAFrozenConnection() throws Exception {
    client = client(twitch.ircUri(), 90, 20, Duration.ofSeconds(10), Duration.ofMillis(300));
    client.join("alpha");
    assertThat(twitch.awaitJoined(List.of("alpha"), WAIT)).isTrue();

    twitch.freezeAll();
    awaitRejoined();
    twitch.sendMessages("alpha", 1000, 7);
    await(() -> received.size() == 7);
  }

  @Test
  void staysWithinTheJoinRateLimit() throws Exception {
    twitch.setJoinLimit(5, Duration.ofSeconds(1));
    client = client(twitch.ircUri(), 90, 5, Duration.ofSeconds(1), Duration.ofSeconds(60));
    List<String> channels = channels(15);
    channels.forEach(client::join);

    assertThat(twitch.awaitJoined(channels, WAIT))
        .as(
            "joined %s, disconnects %d, sent %d",
            twitch.joinedChannels(), twitch.joinLimitDisconnects(), stats.joinsSent.sum())
        .isTrue();
    assertThat(twitch.joinLimitDisconnects()).isZero();
    assertThat(stats.joinsSent.sum()).isEqualTo(15);
  }

  @Test
  void theFakeDisconnectsAClientThatJoinsTooFast() throws Exception {
    twitch.setJoinLimit(5, Duration.ofSeconds(10));
    client = client(twitch.ircUri(), 90, 20);
    channels(10).forEach(client::join);
    await(() -> twitch.joinLimitDisconnects() > 0);
  }

  @Test
  void spreadsChannelsOverConnections() throws Exception {
    client = client(twitch.ircUri(), 10, 100);
    List<String> channels = channels(25);
    channels.forEach(client::join);
    assertThat(twitch.awaitJoined(channels, WAIT)).isTrue();
    assertThat(client.connectionCount()).isEqualTo(3);
    assertThat(twitch.connectedClients()).isEqualTo(3);
    await(() -> client.joinedCount() == 25);
  }

  @Test
  void givesUpAfterRepeatedLoginFailuresWithAClearError() throws Exception {
    twitch.setLoginsFail(true);
    client = client(twitch.ircUri(), 90, 20);
    client.join("alpha");
    await(() -> fatal.get() != null);
    assertThat(fatal.get().getMessage())
        .contains("login")
        .contains("failed 3 times")
        .contains("Login authentication failed");
    int connections = twitch.totalConnections();
    Thread.sleep(1500);
    assertThat(twitch.totalConnections())
        .as("no more attempts after giving up")
        .isEqualTo(connections);
    assertThat(connections).isEqualTo(3);
  }

  @Test
  void countsAndSkipsMalformedLinesSharedChatCopiesAndUsernotices() throws Exception {
    client = client(twitch.ircUri(), 90, 20);
    client.join("alpha");
    assertThat(twitch.awaitJoined(List.of("alpha"), WAIT)).isTrue();

    twitch.sendRaw("alpha", "@tmi-sent-ts=notanumber :a!a@a PRIVMSG #alpha :x");
    twitch.sendRaw("alpha", "@room-id=1;tmi-sent-ts=5");
    twitch.sendSharedChatCopy("alpha", "999", 1000);
    twitch.sendUserNotice("alpha", "raid", 1000);
    twitch.sendMessages("alpha", 2000, 3);

    await(() -> received.size() == 3 && stats.userNotices.sum() == 1);
    assertThat(stats.parseErrors.sum()).isEqualTo(2);
    assertThat(stats.sharedChatCopies.sum()).isEqualTo(1);
    assertThat(received).allSatisfy(m -> assertThat(m.eventTime()).isEqualTo(2000));
  }

  @Test
  void leavesAChannelOnPart() throws Exception {
    client = client(twitch.ircUri(), 90, 20);
    client.join("alpha");
    client.join("beta");
    assertThat(twitch.awaitJoined(List.of("alpha", "beta"), WAIT)).isTrue();
    client.part("alpha");
    await(() -> !twitch.joinedChannels().contains("alpha"));
    twitch.sendMessages("beta", 1, 2);
    await(() -> received.size() == 2);
    assertThat(client.channels()).containsExactly("beta");
  }

  /**
   * Waits until the second connection has joined and the first is gone: the server closes an old
   * socket a little after RECONNECT, and lines written to it meanwhile are never read.
   */
  private void awaitRejoined() throws InterruptedException {
    await(
        () ->
            twitch.totalConnections() == 2
                && twitch.connectedClients() == 1
                && twitch.joinedChannels().contains("alpha"));
  }

  private ChatClient client(URI endpoint, int perConnection, int joinLimit) {
    return client(
        endpoint, perConnection, joinLimit, Duration.ofSeconds(10), Duration.ofSeconds(60));
  }

  private ChatClient client(
      URI endpoint, int perConnection, int joinLimit, Duration joinWindow, Duration silence) {
    ChatSettings settings =
        new ChatSettings(
            endpoint,
            null,
            null,
            perConnection,
            joinLimit,
            joinWindow,
            silence,
            silence,
            Duration.ofMillis(200),
            3,
            Duration.ofSeconds(5));
    return new ChatClient(settings, listener, stats);
  }

  private static List<String> channels(int n) {
    return Waits.channels(n);
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    Waits.await(condition, WAIT);
  }
}
