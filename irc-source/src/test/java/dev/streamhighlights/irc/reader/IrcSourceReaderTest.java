package dev.streamhighlights.irc.reader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamhighlights.irc.config.Secrets;
import dev.streamhighlights.irc.connection.ChatSettings;
import dev.streamhighlights.irc.enumerator.RetireChannelsEvent;
import dev.streamhighlights.irc.model.ChatMessage;
import dev.streamhighlights.irc.split.IrcChannelSplit;
import dev.streamhighlights.simulator.ChatServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.connector.testutils.source.reader.TestingReaderContext;
import org.apache.flink.core.io.InputStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IrcSourceReaderTest {

  private ChatServer twitch;
  private IrcSourceReader reader;
  private final RecordingOutput output = new RecordingOutput();

  @BeforeEach
  void setUp() {
    twitch = ChatServer.start();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (reader != null) {
      reader.close();
    }
    twitch.close();
  }

  @Test
  void emitsEveryChannelThroughTheReaderOutputWithServerTimeAsTimestamp() throws Exception {
    // Recorded times (no event-time lag): the job's strategy makes the watermarks.
    reader =
        new IrcSourceReader(
            new TestingReaderContext(), settings(null, null), Secrets.of(Map.of()), null);
    reader.start();
    reader.addSplits(List.of(new IrcChannelSplit("alpha"), new IrcChannelSplit("beta")));
    assertThat(twitch.awaitJoined(List.of("alpha", "beta"), Duration.ofSeconds(10))).isTrue();

    twitch.sendMessages("alpha", 1_000, 3);
    twitch.sendMessages("beta", 2_000, 2);
    pollUntil(() -> output.records.size() == 7); // each channel's watch-start marker and messages

    assertThat(output.recordsOf("alpha"))
        .extracting(ChatMessage::eventTime)
        .containsExactly(1_000L, 1_000L, 1_000L, 1_000L);
    assertThat(output.recordsOf("beta"))
        .extracting(ChatMessage::channel, ChatMessage::kind)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("beta", ChatMessage.Kind.WATCH_START),
            org.assertj.core.groups.Tuple.tuple("beta", ChatMessage.Kind.MESSAGE),
            org.assertj.core.groups.Tuple.tuple("beta", ChatMessage.Kind.MESSAGE));
    assertThat(output.timestamps).containsExactlyElementsOf(output.eventTimes());
    assertThat(output.watermarks).isEmpty();
    assertThat(reader.snapshotState(1))
        .containsExactly(new IrcChannelSplit("alpha"), new IrcChannelSplit("beta"));
  }

  @Test
  void retiredChannelsArePartedAndNoLongerEmitted() throws Exception {
    reader = reader(Secrets.of(Map.of()));
    reader.start();
    reader.addSplits(List.of(new IrcChannelSplit("alpha"), new IrcChannelSplit("beta")));
    assertThat(twitch.awaitJoined(List.of("alpha", "beta"), Duration.ofSeconds(10))).isTrue();

    reader.handleSourceEvents(new RetireChannelsEvent(List.of("alpha")));
    assertThat(reader.snapshotState(2)).containsExactly(new IrcChannelSplit("beta"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (twitch.joinedChannels().contains("alpha") && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(twitch.joinedChannels()).containsExactly("beta");
    twitch.sendMessages("beta", System.currentTimeMillis(), 2);
    pollUntil(() -> output.records.size() == 3);
    assertThat(output.records).extracting(ChatMessage::channel).containsOnly("beta");
  }

  @Test
  void aReaderWithoutChannelsMarksItselfIdle() throws Exception {
    reader = reader(Secrets.of(Map.of()));
    reader.start();
    reader.pollNext(output);
    assertThat(output.idle).isTrue();
  }

  @Test
  void aFailedLoginFailsTheReaderWithTheReason() throws Exception {
    twitch.setLoginsFail(true);
    reader = reader(Secrets.of(Map.of()));
    reader.start();
    reader.addSplits(List.of(new IrcChannelSplit("alpha")));
    assertThatThrownBy(() -> pollUntil(() -> false))
        .hasMessageContaining("failed 3 times")
        .hasMessageContaining("Login authentication failed");
  }

  @Test
  void aLoginWithoutItsTokenInTheEnvironmentSaysWhichVariable() {
    ChatSettings settings = settings("somebot", "SOMEBOT_TOKEN");
    reader = new IrcSourceReader(new TestingReaderContext(), settings, Secrets.of(Map.of()));
    assertThatThrownBy(() -> reader.start())
        .hasMessageContaining("SOMEBOT_TOKEN")
        .hasMessageContaining("not set");
    reader = null;
  }

  @Test
  void logsInWithTheTokenFromTheSecrets() throws Exception {
    ChatSettings settings = settings("somebot", "SOMEBOT_TOKEN");
    reader =
        new IrcSourceReader(
            new TestingReaderContext(), settings, Secrets.of(Map.of("SOMEBOT_TOKEN", "s3cret")));
    reader.start();
    reader.addSplits(List.of(new IrcChannelSplit("alpha")));
    assertThat(twitch.awaitJoined(List.of("alpha"), Duration.ofSeconds(10))).isTrue();
    assertThat(twitch.received()).contains("PASS oauth:s3cret", "NICK somebot");
  }

  private IrcSourceReader reader(Secrets secrets) {
    return new IrcSourceReader(new TestingReaderContext(), settings(null, null), secrets);
  }

  @Test
  void tellsTheEnumeratorWhichChannelsItRestored() throws Exception {
    // After a rescale Flink decides which reader gets which restored channel; only the reader
    // knows, and the enumerator must, to send a retirement to the right reader.
    TestingReaderContext context = new TestingReaderContext();
    reader = new IrcSourceReader(context, settings(null, null), Secrets.of(Map.of()));
    reader.addSplits(List.of(new IrcChannelSplit("alpha"), new IrcChannelSplit("beta")));
    reader.start();
    reader.addSplits(List.of(new IrcChannelSplit("gamma"))); // assigned: the enumerator knows
    assertThat(context.getSentEvents())
        .containsExactly(
            new dev.streamhighlights.irc.enumerator.RestoredChannelsEvent(
                List.of("alpha", "beta")));
  }

  @Test
  void aReaderWithoutRestoredChannelsReportsNothing() throws Exception {
    TestingReaderContext context = new TestingReaderContext();
    reader = new IrcSourceReader(context, settings(null, null), Secrets.of(Map.of()));
    reader.start();
    assertThat(context.getSentEvents()).isEmpty();
  }

  @Test
  void leavesRestoredChannelsTheJobNoLongerTracks() throws Exception {
    reader = reader(Secrets.of(Map.of()));
    reader.addSplits(
        List.of(new IrcChannelSplit("alpha"), new IrcChannelSplit("beta"))); // restored
    reader.start();
    reader.handleSourceEvents(
        new dev.streamhighlights.irc.enumerator.TrackedChannelsEvent(
            java.util.Set.of("beta", "gamma")));
    assertThat(reader.snapshotState(1)).containsExactly(new IrcChannelSplit("beta"));
  }

  @Test
  void eventTimeFollowsTheWallClockWhileNoChatArrives() throws Exception {
    reader = reader(Secrets.of(Map.of()));
    reader.start();
    reader.addSplits(List.of(new IrcChannelSplit("alpha")));
    assertThat(twitch.awaitJoined(List.of("alpha"), Duration.ofSeconds(10))).isTrue();
    long before = System.currentTimeMillis();
    // Nothing is said: the reader still moves event time on, 2 s behind the clock.
    pollUntil(() -> output.watermarks.size() >= 3);
    long last = output.watermarks.get(output.watermarks.size() - 1);
    assertThat(last).isBetween(before - 2_001 - 1_000, System.currentTimeMillis() - 2_001);
    assertThat(output.watermarks).isSorted();
  }

  @Test
  void eventTimeFollowsTheClockWhileChatFlowsWithoutMakingItLate() throws Exception {
    reader = reader(Secrets.of(Map.of()));
    reader.start();
    reader.addSplits(List.of(new IrcChannelSplit("alpha")));
    assertThat(twitch.awaitJoined(List.of("alpha"), Duration.ofSeconds(10))).isTrue();
    pollUntil(() -> !output.watermarks.isEmpty()); // quiet so far
    long start = System.currentTimeMillis();
    // A message every 100 ms, each a second old: event time moves on, 2 s behind the clock, and
    // none of them is late.
    long until = System.currentTimeMillis() + 2_500;
    while (System.currentTimeMillis() < until) {
      twitch.sendMessages("alpha", System.currentTimeMillis() - 1_000, 1);
      long next = System.currentTimeMillis() + 100;
      while (System.currentTimeMillis() < next) {
        if (reader.pollNext(output) == InputStatus.NOTHING_AVAILABLE) {
          try {
            reader.isAvailable().get(20, TimeUnit.MILLISECONDS);
          } catch (java.util.concurrent.TimeoutException ignored) {
            // poll again
          }
        }
      }
    }
    assertThat(output.records.size()).isGreaterThan(10);
    assertThat(output.lateRecords()).isEmpty();
    assertThat(output.watermarks.get(output.watermarks.size() - 1)).isGreaterThan(start - 2_001);
  }

  @Test
  void aBacklogIsNotMadeLateByTheClock() throws Exception {
    // The job stops taking chat for 4 s while a channel sends 40,000 messages in its first second,
    // stamped with the time they were sent: more than the queue holds, so the connection waits on
    // the queue and the rest waits in the socket, all of it older than the lag of 2 s. When the job
    // takes chat again, the watermark must not pass
    // what the queue and the socket still hold, though the clock is far ahead of it.
    reader = reader(Secrets.of(Map.of()));
    reader.start();
    reader.addSplits(List.of(new IrcChannelSplit("alpha")));
    assertThat(twitch.awaitJoined(List.of("alpha"), Duration.ofSeconds(10))).isTrue();
    pollUntil(() -> !output.watermarks.isEmpty());
    int rounds = 40;
    int perRound = IrcSourceReader.QUEUE_CAPACITY / 32;
    Thread sender =
        new Thread(
            () -> {
              for (int i = 0; i < rounds; i++) {
                twitch.sendMessages("alpha", System.currentTimeMillis(), perRound);
                try {
                  Thread.sleep(25);
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
    sender.start();
    Thread.sleep(4_000);
    pollUntil(() -> output.records.size() == rounds * perRound + 1);
    sender.join();
    assertThat(rounds * perRound).isGreaterThan(IrcSourceReader.QUEUE_CAPACITY);
    assertThat(output.lateRecords()).isEmpty();
    // And once the backlog is out, event time catches up with the clock again.
    long caughtUp = System.currentTimeMillis();
    pollUntil(() -> output.watermarks.get(output.watermarks.size() - 1) > caughtUp - 2_001);
  }

  private ChatSettings settings(String nick, String tokenEnv) {
    return new ChatSettings(
        twitch.ircUri(),
        nick,
        tokenEnv,
        90,
        20,
        Duration.ofSeconds(10),
        Duration.ofSeconds(60),
        Duration.ofSeconds(15),
        Duration.ofMillis(100),
        3,
        Duration.ofSeconds(5));
  }

  private void pollUntil(java.util.function.BooleanSupplier done) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not done within 10 s");
      }
      InputStatus status = reader.pollNext(output);
      if (status == InputStatus.NOTHING_AVAILABLE) {
        try {
          reader.isAvailable().get(50, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException ignored) {
          // poll again
        }
      }
    }
  }

  /** Records what goes through the reader's output, in order. */
  static final class RecordingOutput implements ReaderOutput<ChatMessage> {
    final List<ChatMessage> records = new java.util.concurrent.CopyOnWriteArrayList<>();
    final List<Long> timestamps = new java.util.concurrent.CopyOnWriteArrayList<>();
    final List<Long> watermarks = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** For each record, the watermark emitted before it (MIN_VALUE if none). */
    final List<Long> watermarkBefore = new java.util.concurrent.CopyOnWriteArrayList<>();

    boolean idle;

    List<ChatMessage> recordsOf(String channel) {
      return records.stream().filter(m -> m.channel().equals(channel)).toList();
    }

    List<Long> eventTimes() {
      return records.stream().map(ChatMessage::eventTime).toList();
    }

    /** Records at or behind a watermark emitted before them: a window would drop them. */
    List<ChatMessage> lateRecords() {
      List<ChatMessage> late = new ArrayList<>();
      for (int i = 0; i < records.size(); i++) {
        if (timestamps.get(i) <= watermarkBefore.get(i)) {
          late.add(records.get(i));
        }
      }
      return late;
    }

    @Override
    public void collect(ChatMessage record) {
      throw new AssertionError("records need their event time");
    }

    @Override
    public void collect(ChatMessage record, long timestamp) {
      records.add(record);
      timestamps.add(timestamp);
      watermarkBefore.add(
          watermarks.isEmpty() ? Long.MIN_VALUE : watermarks.get(watermarks.size() - 1));
    }

    @Override
    public void emitWatermark(Watermark watermark) {
      watermarks.add(watermark.getTimestamp());
    }

    @Override
    public void markIdle() {
      idle = true;
    }

    @Override
    public void markActive() {
      idle = false;
    }

    @Override
    public SourceOutput<ChatMessage> createOutputForSplit(String splitId) {
      throw new AssertionError("channels are not watermark outputs");
    }

    @Override
    public void releaseOutputForSplit(String splitId) {
      throw new AssertionError("channels are not watermark outputs");
    }
  }
}
