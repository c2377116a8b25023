package dev.streamhighlights.irc.connection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamhighlights.irc.model.ChatMessage;
import dev.streamhighlights.simulator.ChatServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Identities against the fake Twitch, which holds every account to its JOIN rate and channel cap
 * over all its connections and drops a connection that breaks either. Windows are scaled down (5
 * JOINs per 500 ms) so the tests run in seconds.
 */
class ChatIdentitiesTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Duration WINDOW = Duration.ofMillis(500);

  private ChatServer twitch;
  private ChatClient client;
  private final ChatStats stats = new ChatStats();
  private final AtomicReference<Exception> fatal = new AtomicReference<>();

  private final ChatListener listener =
      new ChatListener() {
        @Override
        public void onMessage(ChatMessage message) {}

        @Override
        public void onFatalError(Exception error) {
          fatal.set(error);
        }
      };

  @BeforeEach
  void startServer() {
    twitch = ChatServer.start();
    twitch.setJoinLimit(5, WINDOW);
    twitch.setChannelCap(30);
  }

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    twitch.close();
  }

  @Test
  void threeAnonymousIdentitiesJoinNinetyChannelsWithinEveryLimitFasterThanOneCould()
      throws Exception {
    client = client(anonymous(3, 5, 30), 90);
    List<String> channels = channels(90);
    long start = System.nanoTime();
    channels.forEach(client::join);
    assertThat(twitch.awaitJoined(channels, WAIT)).isTrue();
    long millis = (System.nanoTime() - start) / 1_000_000;

    assertNoLimitBroken();
    assertThat(twitch.loggedInNicks()).hasSize(3);
    for (String nick : twitch.loggedInNicks()) {
      assertThat(twitch.maxChannelsHeld(nick)).as(nick).isEqualTo(30);
    }
    // One identity at 5 per 500 ms needs 17 full windows after its first 5 JOINs; three share it.
    assertThat(millis).isLessThan(17 * WINDOW.toMillis());
    assertThat(millis).as("paced: 5 more windows per identity").isGreaterThan(5 * 500);
    assertThat(client.overCapacityCount()).isZero();
  }

  @Test
  void anIdentitySpreadOverConnectionsStaysWithinItsRateOnAllOfThemTogether() throws Exception {
    client = client(anonymous(1, 5, 30), 4);
    List<String> channels = channels(24);
    channels.forEach(client::join);
    assertThat(twitch.awaitJoined(channels, WAIT)).isTrue();
    assertNoLimitBroken();
    assertThat(client.connectionCount()).isEqualTo(6);
    assertThat(twitch.loggedInNicks()).hasSize(1);
  }

  @Test
  void channelsBeyondEveryIdentitysCapAreNotJoinedButCountedAndJoinedWhenRoomFrees()
      throws Exception {
    client = client(anonymous(2, 5, 10), 90);
    List<String> channels = channels(25);
    channels.forEach(client::join);
    await(() -> twitch.joinedChannels().size() == 20 && client.joinedCount() == 20);
    assertThat(client.overCapacityCount()).isEqualTo(5);
    assertThat(client.channels()).hasSize(25);
    Thread.sleep(3 * WINDOW.toMillis());
    assertThat(twitch.joinedChannels()).hasSize(20);

    List<String> joined = new ArrayList<>(twitch.joinedChannels());
    joined.subList(0, 3).forEach(client::part);
    await(() -> client.overCapacityCount() == 2 && twitch.joinedChannels().size() == 20);
    assertThat(twitch.joinedChannels()).doesNotContainAnyElementsOf(joined.subList(0, 3));
    assertNoLimitBroken();
  }

  @Test
  void rejoinsAfterADropWithinTheRate() throws Exception {
    client = client(anonymous(1, 5, 30), 90);
    List<String> channels = channels(15);
    channels.forEach(client::join);
    assertThat(twitch.awaitJoined(channels, WAIT)).isTrue();
    twitch.dropAll();
    await(() -> twitch.totalConnections() == 2);
    assertThat(twitch.awaitJoined(channels, WAIT)).isTrue();
    assertNoLimitBroken();
  }

  @Test
  void theFakeCountsAnAccountsJoinsOverAllItsConnections() throws Exception {
    // 10 JOINs in one window, at most 2 per connection: only the account's total breaks 5.
    client = client(anonymous(1, 10, ChatIdentity.NO_CAP), 2);
    channels(10).forEach(client::join);
    await(() -> twitch.joinLimitDisconnects() > 0);
  }

  @Test
  void theFakeDropsAnAccountThatHoldsMoreChannelsThanItsCap() throws Exception {
    twitch.setChannelCap(3);
    client = client(anonymous(1, 5, ChatIdentity.NO_CAP), 90);
    channels(5).forEach(client::join);
    await(() -> twitch.channelCapDisconnects() > 0);
    assertThat(twitch.joinLimitDisconnects()).isZero();
  }

  private void assertNoLimitBroken() {
    assertThat(twitch.joinLimitDisconnects()).as("join rate broken").isZero();
    assertThat(twitch.channelCapDisconnects()).as("channel cap broken").isZero();
    assertThat(stats.reconnects.sum()).as("reconnects").isLessThanOrEqualTo(1);
    assertThat(fatal.get()).isNull();
  }

  private static List<ChatIdentity> anonymous(int n, int joins, int cap) {
    List<ChatIdentity> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(ChatIdentity.anonymous(4_000_000 + i, joins, WINDOW, cap));
    }
    return ids;
  }

  private ChatClient client(List<ChatIdentity> identities, int perConnection) {
    ChatSettings settings =
        new ChatSettings(
            twitch.ircUri(),
            identities,
            perConnection,
            Duration.ofSeconds(60),
            Duration.ofSeconds(60),
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
