package dev.streamhighlights.irc.reader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamhighlights.irc.connection.ChatIdentity;
import dev.streamhighlights.irc.enumerator.IrcSourceEnumState;
import dev.streamhighlights.irc.model.ChatMessage;
import dev.streamhighlights.irc.source.IrcSource;
import dev.streamhighlights.irc.split.IrcChannelSplit;
import dev.streamhighlights.simulator.ChatServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.flink.api.connector.source.ReaderInfo;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.api.connector.source.mocks.MockSplitEnumeratorContext;
import org.apache.flink.connector.testutils.source.reader.TestingReaderContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The whole source at parallelism 2: its enumerator hands out the channels, two readers (separate
 * subtasks, as in separate task managers) join them, and the fake Twitch holds every identity to 5
 * JOINs per 500 ms and 30 channels over all its connections, whichever reader they come from.
 */
class ParallelIdentitiesTest {

  private final ChatServer twitch = ChatServer.start();
  private final List<SourceReader<ChatMessage, IrcChannelSplit>> readers = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (SourceReader<ChatMessage, IrcChannelSplit> r : readers) {
      r.close();
    }
    twitch.close();
  }

  @Test
  void twoReadersNeverShareAnIdentityNorBreakItsLimits() throws Throwable {
    twitch.setJoinLimit(5, Duration.ofMillis(500));
    twitch.setChannelCap(30);
    List<String> channels = IntStream.range(0, 90).mapToObj(i -> "channel_" + i).toList();
    IrcSource source =
        IrcSource.builder()
            .endpoint(twitch.ircUri())
            .channels(channels)
            .anonymousIdentities(3, 5, Duration.ofMillis(500), 30)
            .build();

    Map<Integer, List<IrcChannelSplit>> assigned = new HashMap<>();
    try (MockSplitEnumeratorContext<IrcChannelSplit> ctx = new MockSplitEnumeratorContext<>(2)) {
      SplitEnumerator<IrcChannelSplit, IrcSourceEnumState> enumerator =
          source.createEnumerator(ctx);
      for (int r = 0; r < 2; r++) {
        ctx.registerReader(new ReaderInfo(r, "localhost"));
        enumerator.addReader(r);
      }
      enumerator.start();
      ctx.runNextOneTimeCallable();
      for (SplitsAssignment<IrcChannelSplit> a : ctx.getSplitsAssignmentSequence()) {
        a.assignment()
            .forEach((r, s) -> assigned.computeIfAbsent(r, k -> new ArrayList<>()).addAll(s));
      }
    }
    // Reader 0 owns identities 0 and 2, reader 1 identity 1: channels follow the JOIN capacity.
    assertThat(assigned.get(0)).hasSize(60);
    assertThat(assigned.get(1)).hasSize(30);

    for (int r = 0; r < 2; r++) {
      SourceReader<ChatMessage, IrcChannelSplit> reader = source.createReader(subtask(r, 2));
      readers.add(reader);
      reader.start();
      reader.addSplits(assigned.get(r));
    }

    assertThat(twitch.awaitJoined(channels, Duration.ofSeconds(20))).isTrue();
    assertThat(twitch.joinLimitDisconnects()).as("join rate broken").isZero();
    assertThat(twitch.channelCapDisconnects()).as("channel cap broken").isZero();
    Set<String> nicks =
        source.chatSettings().identities().stream()
            .map(ChatIdentity::nick)
            .collect(Collectors.toSet());
    assertThat(twitch.loggedInNicks()).isEqualTo(nicks);
    for (String nick : nicks) {
      assertThat(twitch.maxChannelsHeld(nick)).as(nick).isEqualTo(30);
    }
  }

  /** Reader {@code index} of {@code parallelism}, as Flink's runtime tells each subtask. */
  private static TestingReaderContext subtask(int index, int parallelism) {
    return new TestingReaderContext() {
      @Override
      public int getIndexOfSubtask() {
        return index;
      }

      @Override
      public int currentParallelism() {
        return parallelism;
      }
    };
  }
}
