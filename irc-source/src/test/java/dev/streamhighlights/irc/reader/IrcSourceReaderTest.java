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
import java.util.HashMap;
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
  void emitsEachChannelThroughItsOwnOutputWithServerTimeAsTimestamp() throws Exception {
    reader = reader(Secrets.of(Map.of()));
    reader.start();
    reader.addSplits(List.of(new IrcChannelSplit("alpha"), new IrcChannelSplit("beta")));
    pollUntil(() -> output.splitOutputs.size() == 2);
    assertThat(twitch.awaitJoined(List.of("alpha", "beta"), Duration.ofSeconds(10))).isTrue();

    twitch.sendMessages("alpha", 1_000, 3);
    twitch.sendMessages("beta", 2_000, 2);
    pollUntil(() -> output.total() == 7); // each channel's watch-start marker and its messages

    assertThat(output.splitOutputs.get("alpha").timestamps)
        .containsExactly(1_000L, 1_000L, 1_000L, 1_000L);
    assertThat(output.splitOutputs.get("beta").records)
        .extracting(ChatMessage::channel, ChatMessage::kind)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("beta", ChatMessage.Kind.WATCH_START),
            org.assertj.core.groups.Tuple.tuple("beta", ChatMessage.Kind.MESSAGE),
            org.assertj.core.groups.Tuple.tuple("beta", ChatMessage.Kind.MESSAGE));
    assertThat(reader.snapshotState(1))
        .containsExactly(new IrcChannelSplit("alpha"), new IrcChannelSplit("beta"));
  }

  @Test
  void retiredChannelsArePartedAndTheirOutputsReleased() throws Exception {
    reader = reader(Secrets.of(Map.of()));
    reader.start();
    reader.addSplits(List.of(new IrcChannelSplit("alpha"), new IrcChannelSplit("beta")));
    pollUntil(() -> output.splitOutputs.size() == 2);
    assertThat(twitch.awaitJoined(List.of("alpha", "beta"), Duration.ofSeconds(10))).isTrue();

    reader.handleSourceEvents(new RetireChannelsEvent(List.of("alpha")));
    pollUntil(() -> output.released.contains("alpha"));
    assertThat(reader.snapshotState(2)).containsExactly(new IrcChannelSplit("beta"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (twitch.joinedChannels().contains("alpha") && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(twitch.joinedChannels()).containsExactly("beta");
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
  void eventTimeDoesNotFollowTheClockWhileChatArrives() throws Exception {
    reader = reader(Secrets.of(Map.of()));
    reader.start();
    reader.addSplits(List.of(new IrcChannelSplit("alpha")));
    assertThat(twitch.awaitJoined(List.of("alpha"), Duration.ofSeconds(10))).isTrue();
    pollUntil(() -> !output.watermarks.isEmpty()); // quiet so far
    output.watermarks.clear();
    // A message every 100 ms: the queue is empty most of the time, but chat is still coming, and
    // a message that is a second late must not be made late by the clock.
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
    assertThat(output.total()).isGreaterThan(10);
    assertThat(output.watermarks).isEmpty();
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

  /** Records what goes through each split's output. */
  static final class RecordingOutput implements ReaderOutput<ChatMessage> {
    final Map<String, SplitOutput> splitOutputs = new HashMap<>();
    final List<String> released = new ArrayList<>();
    boolean idle;

    int total() {
      return splitOutputs.values().stream().mapToInt(o -> o.records.size()).sum();
    }

    @Override
    public void collect(ChatMessage record) {
      throw new AssertionError("records must go through split outputs");
    }

    @Override
    public void collect(ChatMessage record, long timestamp) {
      throw new AssertionError("records must go through split outputs");
    }

    final List<Long> watermarks = new java.util.concurrent.CopyOnWriteArrayList<>();

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
      return splitOutputs.computeIfAbsent(splitId, s -> new SplitOutput());
    }

    @Override
    public void releaseOutputForSplit(String splitId) {
      released.add(splitId);
    }
  }

  static final class SplitOutput implements SourceOutput<ChatMessage> {
    final List<ChatMessage> records = new ArrayList<>();
    final List<Long> timestamps = new ArrayList<>();

    @Override
    public void collect(ChatMessage record) {
      throw new AssertionError("records need their event time");
    }

    @Override
    public void collect(ChatMessage record, long timestamp) {
      records.add(record);
      timestamps.add(timestamp);
    }

    @Override
    public void emitWatermark(Watermark watermark) {}

    @Override
    public void markIdle() {}

    @Override
    public void markActive() {}
  }
}
