package dev.streamhighlights.irc.connection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamhighlights.irc.model.ChatMessage;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One connection's protocol, the test playing Twitch through an in-memory transport: what goes on
 * the wire and when, with the watchdog's clock in the test's hands. {@link ChatClientTest} runs the
 * same client against the fake Twitch over real sockets.
 */
class IrcConnectionTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration SILENCE_BEFORE_PING = Duration.ofSeconds(60);
  private static final Duration PONG_TIMEOUT = Duration.ofSeconds(15);
  private static final long SECOND = 1_000_000_000L;
  private static final String WELCOME = ":tmi.twitch.tv 001 somebot :Welcome, GLHF!";

  private final BlockingQueue<InMemoryTransport> opened = new LinkedBlockingQueue<>();
  private final ConcurrentLinkedQueue<ChatMessage> received = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean behind = new AtomicBoolean();
  private final ConcurrentLinkedQueue<HandOver> batches = new ConcurrentLinkedQueue<>();

  /** One hand-over: its size, its newest message, and the connection's event-time bound then. */
  private record HandOver(int size, long newest, long boundDuring) {}

  private final AtomicReference<Exception> fatal = new AtomicReference<>();
  private final ChatStats stats = new ChatStats();
  private IrcConnection connection;

  private final ChatListener listener =
      new ChatListener() {
        @Override
        public void onMessage(ChatMessage message) {
          received.add(message);
        }

        @Override
        public void onMessages(ChatMessage[] messages) throws InterruptedException {
          long newest =
              Arrays.stream(messages).mapToLong(ChatMessage::eventTime).max().orElseThrow();
          batches.add(
              new HandOver(messages.length, newest, connection.eventTimeBound(Long.MAX_VALUE)));
          ChatListener.super.onMessages(messages);
        }

        @Override
        public boolean backpressured() {
          return behind.get();
        }

        @Override
        public void onFatalError(Exception error) {
          fatal.set(error);
        }
      };

  @AfterEach
  void stop() throws InterruptedException {
    if (connection != null) {
      connection.stop();
      connection.awaitStopped(5_000);
    }
    assertThat(fatal.get()).isNull();
  }

  @Test
  void logsInWithCapabilitiesTokenAndNickAndJoinsOnlyOnceWelcomed() throws Exception {
    InMemoryTransport twitch = connect();
    assertThat(twitch.nextSent(WAIT)).isEqualTo("CAP REQ :twitch.tv/tags twitch.tv/commands");
    assertThat(twitch.nextSent(WAIT)).isEqualTo("PASS oauth:s3cret");
    assertThat(twitch.nextSent(WAIT)).isEqualTo("NICK somebot");

    connection.add("alpha");
    assertThat(connection.pendingJoinCount()).as("not logged in yet").isZero();
    twitch.serverSends(WELCOME);
    await(() -> connection.pendingJoinCount() == 1);
    assertThat(connection.joinPending(20)).isEqualTo(1);
    assertThat(twitch.nextSent(WAIT)).isEqualTo("JOIN #alpha");
  }

  @Test
  void answersAPingWithAPongEchoingItsToken() throws Exception {
    InMemoryTransport twitch = loggedIn();
    twitch.serverSends("PING :tmi.twitch.tv");
    assertThat(twitch.nextSent(WAIT)).isEqualTo("PONG :tmi.twitch.tv");
  }

  @Test
  void partsAChannelWhoseJoinWentOutButIsNotConfirmedYet() throws Exception {
    InMemoryTransport twitch = loggedIn();
    sendJoin(twitch, "alpha");

    // Left before the server confirmed the JOIN: without a PART, Twitch keeps it joined.
    connection.remove("alpha");
    assertThat(twitch.nextSent(WAIT)).isEqualTo("PART #alpha");
    // Left before its JOIN went out: nothing to undo.
    connection.add("beta");
    connection.remove("beta");
    assertThat(twitch.nextSent(Duration.ofMillis(200))).isNull();
    // The late confirmation does not make alpha a channel of this connection.
    twitch.serverSends(":somebot!somebot@somebot.tmi.twitch.tv JOIN #alpha");
    twitch.serverSends("@room-id=1;tmi-sent-ts=1000 :a!a@a PRIVMSG #alpha :hi");
    twitch.serverSends("PING :done");
    assertThat(twitch.nextSent(WAIT)).isEqualTo("PONG :done");
    assertThat(connection.joinedCount()).isZero();
    assertThat(received).isEmpty();
  }

  @Test
  void handsAReadOverInOrderInBatchesAndOnlyThenRaisesItsEventTimeBound() throws Exception {
    InMemoryTransport twitch = loggedIn();
    sendJoin(twitch, "alpha");
    twitch.serverSends(":somebot!somebot@somebot.tmi.twitch.tv JOIN #alpha");
    long base = System.currentTimeMillis() + 1_000;
    int n = 2 * IrcConnection.HAND_BATCH + 88;
    List<String> read = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      read.add("@room-id=1;tmi-sent-ts=" + (base + i) + " :a!a@a PRIVMSG #alpha :hi");
    }

    twitch.serverSendsInOneRead(read);

    await(() -> received.size() == n + 1); // the watch-start marker and the messages
    assertThat(received.stream().skip(1).mapToLong(ChatMessage::eventTime))
        .as("in the order read")
        .containsExactlyElementsOf(LongStream.range(base, base + n).boxed().toList());
    assertThat(batches.stream().map(HandOver::size))
        .as("a batch per %d messages, the rest with the end of the read", IrcConnection.HAND_BATCH)
        .containsExactly(IrcConnection.HAND_BATCH, IrcConnection.HAND_BATCH, 89);
    // While a batch is being handed over, the connection does not yet claim to be past it: a
    // reader computing a watermark then would not wait for messages it has not got.
    List<HandOver> handed = List.copyOf(batches);
    assertThat(handed).allSatisfy(b -> assertThat(b.boundDuring()).isLessThan(b.newest()));
    for (int i = 1; i < handed.size(); i++) {
      assertThat(handed.get(i).boundDuring())
          .as("raised to the previous batch's newest once that was handed over")
          .isEqualTo(handed.get(i - 1).newest());
    }
  }

  @Test
  void pingsASilentConnectionAndReconnectsWhenNoPongComes() throws Exception {
    InMemoryTransport twitch = loggedIn();
    connection.add("alpha");
    long now = System.nanoTime();

    connection.checkAlive(now + SILENCE_BEFORE_PING.toNanos() / 2);
    assertThat(twitch.nextSent(Duration.ofMillis(200))).as("not silent long enough").isNull();
    // A second of margin: the connection noted its last line a moment after the test saw it.
    long pingAt = now + SILENCE_BEFORE_PING.toNanos() + SECOND;
    connection.checkAlive(pingAt);
    assertThat(twitch.nextSent(WAIT)).isEqualTo("PING :stream-highlights");
    assertThat(twitch.isClosed()).isFalse();

    connection.checkAlive(pingAt + PONG_TIMEOUT.toNanos() + SECOND);
    assertThat(twitch.isClosed()).isTrue();
    InMemoryTransport again = nextConnection();
    assertThat(again.nextSent(WAIT)).startsWith("CAP REQ");
    again.nextSent(WAIT); // PASS
    again.nextSent(WAIT); // NICK
    again.serverSends(WELCOME);
    await(() -> connection.pendingJoinCount() == 1);
    assertThat(stats.reconnects.sum()).isEqualTo(1);
  }

  @Test
  void aListenerThatIsBehindIsNotTakenForSilence() throws Exception {
    InMemoryTransport twitch = loggedIn();
    long now = System.nanoTime();
    behind.set(true);
    connection.checkAlive(now + SILENCE_BEFORE_PING.toNanos() * 10);
    behind.set(false);
    // Silence counts from the last check that found the listener behind, not from the last line.
    connection.checkAlive(now + SILENCE_BEFORE_PING.toNanos() * 10 + PONG_TIMEOUT.toNanos());
    assertThat(twitch.nextSent(Duration.ofMillis(200))).isNull();
    assertThat(twitch.isClosed()).isFalse();
  }

  private InMemoryTransport connect() throws InterruptedException {
    ChatSettings settings =
        new ChatSettings(
            URI.create("irc://in-memory"),
            "somebot",
            "SOMEBOT_TOKEN",
            90,
            20,
            Duration.ofSeconds(10),
            SILENCE_BEFORE_PING,
            PONG_TIMEOUT,
            Duration.ZERO,
            3,
            Duration.ofSeconds(5));
    connection =
        new IrcConnection(
            0, settings, InMemoryTransport.factory(opened), listener, stats, "somebot", "s3cret");
    connection.start();
    return nextConnection();
  }

  /**
   * Connected, the login lines taken, and the welcome processed (seen as a pending JOIN, which the
   * connection only counts once logged in).
   */
  private InMemoryTransport loggedIn() throws InterruptedException {
    InMemoryTransport twitch = connect();
    for (int i = 0; i < 3; i++) {
      assertThat(twitch.nextSent(WAIT)).isNotNull(); // CAP, PASS, NICK
    }
    twitch.serverSends(WELCOME);
    connection.add("probe");
    await(() -> connection.pendingJoinCount() == 1);
    connection.remove("probe");
    return twitch;
  }

  /** The connection takes {@code channel} and sends its JOIN (not confirmed yet). */
  private void sendJoin(InMemoryTransport twitch, String channel) throws InterruptedException {
    connection.add(channel);
    connection.joinPending(20);
    assertThat(twitch.nextSent(WAIT)).isEqualTo("JOIN #" + channel);
  }

  private InMemoryTransport nextConnection() throws InterruptedException {
    InMemoryTransport t = opened.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(t).as("a connection within %s", WAIT).isNotNull();
    return t;
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + WAIT);
      }
      Thread.sleep(5);
    }
  }
}
