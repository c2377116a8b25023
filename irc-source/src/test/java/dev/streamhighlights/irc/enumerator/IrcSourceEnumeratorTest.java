package dev.streamhighlights.irc.enumerator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamhighlights.irc.config.Secrets;
import dev.streamhighlights.irc.connection.ChatIdentity;
import dev.streamhighlights.irc.discovery.ChannelDiscovery;
import dev.streamhighlights.irc.discovery.TopStreams;
import dev.streamhighlights.irc.split.IrcChannelSplit;
import dev.streamhighlights.simulator.HelixServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.flink.api.connector.source.ReaderInfo;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.api.connector.source.mocks.MockSplitEnumeratorContext;
import org.junit.jupiter.api.Test;

class IrcSourceEnumeratorTest {

  private static final String CLIENT_ID = "test-client-id";
  private static final String CLIENT_SECRET = "test-client-secret";
  private static final Secrets CREDENTIALS =
      Secrets.of(Map.of("TWITCH_CLIENT_ID", CLIENT_ID, "TWITCH_CLIENT_SECRET", CLIENT_SECRET));

  @Test
  void spreadsAFixedListEvenlyOverTheReaders() throws Throwable {
    try (MockSplitEnumeratorContext<IrcChannelSplit> ctx = new MockSplitEnumeratorContext<>(2)) {
      IrcSourceEnumerator e = fixed(ctx, List.of("a", "b", "c", "d", "e"));
      register(ctx, e, 0);
      register(ctx, e, 1);
      e.start();
      ctx.runNextOneTimeCallable();

      Map<Integer, List<String>> owned = owned(ctx);
      assertThat(owned.get(0)).containsExactly("a", "c", "e");
      assertThat(owned.get(1)).containsExactly("b", "d");
      assertThat(ctx.getPeriodicCallables()).as("a fixed list is read once").isEmpty();
    }
  }

  @Test
  void weighsReadersByTheirIdentitiesAndLeavesChannelsBeyondEveryCapUnassigned() throws Throwable {
    // Three identities at parallelism 2: reader 0 owns identities 0 and 2, reader 1 identity 1.
    List<ChatIdentity> identities = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      identities.add(ChatIdentity.anonymous(100 + i, 20, Duration.ofSeconds(10), 20));
    }
    try (MockSplitEnumeratorContext<IrcChannelSplit> ctx = new MockSplitEnumeratorContext<>(2)) {
      IrcSourceEnumerator e =
          new IrcSourceEnumerator(
              ctx,
              ChannelDiscovery.fixed(names("c", 90)),
              1000,
              IrcSourceEnumState.EMPTY,
              identities);
      register(ctx, e, 0);
      register(ctx, e, 1);
      e.start();
      ctx.runNextOneTimeCallable();

      assertThat(owned(ctx).get(0)).hasSize(40);
      assertThat(owned(ctx).get(1)).hasSize(20);
      assertThat(e.snapshotState(1).assignments().values())
          .filteredOn(r -> r == IrcSourceEnumState.UNASSIGNED)
          .hasSize(30);
    }
  }

  @Test
  void aReaderWithoutAnIdentityGetsNoChannels() throws Throwable {
    List<ChatIdentity> one =
        List.of(ChatIdentity.anonymous(100, 20, Duration.ofSeconds(10), ChatIdentity.NO_CAP));
    try (MockSplitEnumeratorContext<IrcChannelSplit> ctx = new MockSplitEnumeratorContext<>(2)) {
      IrcSourceEnumerator e =
          new IrcSourceEnumerator(
              ctx, ChannelDiscovery.fixed(names("c", 5)), 1000, IrcSourceEnumState.EMPTY, one);
      register(ctx, e, 0);
      register(ctx, e, 1);
      e.start();
      ctx.runNextOneTimeCallable();
      assertThat(owned(ctx).get(0)).hasSize(5);
      assertThat(owned(ctx).get(1)).isNullOrEmpty();
    }
  }

  @Test
  void holdsChannelsUntilAReaderRegisters() throws Throwable {
    try (MockSplitEnumeratorContext<IrcChannelSplit> ctx = new MockSplitEnumeratorContext<>(1)) {
      IrcSourceEnumerator e = fixed(ctx, List.of("a", "b"));
      e.start();
      ctx.runNextOneTimeCallable();
      assertThat(ctx.getSplitsAssignmentSequence()).isEmpty();
      register(ctx, e, 0);
      assertThat(owned(ctx).get(0)).containsExactly("a", "b");
    }
  }

  @Test
  void reassignsTheChannelsOfAFailedReader() throws Throwable {
    try (MockSplitEnumeratorContext<IrcChannelSplit> ctx = new MockSplitEnumeratorContext<>(2)) {
      IrcSourceEnumerator e = fixed(ctx, List.of("a", "b", "c", "d"));
      register(ctx, e, 0);
      register(ctx, e, 1);
      e.start();
      ctx.runNextOneTimeCallable();

      ctx.unregisterReader(1);
      e.addSplitsBack(List.of(new IrcChannelSplit("b"), new IrcChannelSplit("d")), 1);
      assertThat(owned(ctx).get(0)).containsExactly("a", "c", "b", "d");
      assertThat(e.snapshotState(1).assignments()).containsEntry("b", 0).containsEntry("d", 0);
    }
  }

  @Test
  void aRestoredEnumeratorLeavesOwnedChannelsWithTheirReaders() throws Throwable {
    IrcSourceEnumState checkpoint;
    try (MockSplitEnumeratorContext<IrcChannelSplit> ctx = new MockSplitEnumeratorContext<>(2)) {
      IrcSourceEnumerator e = fixed(ctx, List.of("a", "b", "c"));
      register(ctx, e, 0);
      register(ctx, e, 1);
      e.start();
      ctx.runNextOneTimeCallable();
      checkpoint = e.snapshotState(7);
    }
    try (MockSplitEnumeratorContext<IrcChannelSplit> ctx = new MockSplitEnumeratorContext<>(2)) {
      IrcSourceEnumerator e =
          new IrcSourceEnumerator(
              ctx, ChannelDiscovery.fixed(List.of("a", "b", "c")), 1000, checkpoint);
      register(ctx, e, 0); // reader 1 is not back yet
      e.start();
      ctx.runNextOneTimeCallable();
      assertThat(ctx.getSplitsAssignmentSequence())
          .as("readers bring their channels back from their own state")
          .isEmpty();
    }
  }

  @Test
  void aRestoredJobReadsTheConfiguredChannelsNotTheRestoredOnes() throws Throwable {
    IrcSourceEnumState checkpoint;
    try (MockSplitEnumeratorContext<IrcChannelSplit> ctx = new MockSplitEnumeratorContext<>(2)) {
      IrcSourceEnumerator e = fixed(ctx, List.of("a", "b"));
      register(ctx, e, 0);
      register(ctx, e, 1);
      e.start();
      ctx.runNextOneTimeCallable();
      checkpoint = e.snapshotState(7);
    }
    // run --channels c after run --channels a,b: reader 0 is back before the list is read,
    // reader 1 only after.
    try (MockSplitEnumeratorContext<IrcChannelSplit> ctx = new MockSplitEnumeratorContext<>(2)) {
      IrcSourceEnumerator e =
          new IrcSourceEnumerator(ctx, ChannelDiscovery.fixed(List.of("c")), 1000, checkpoint);
      register(ctx, e, 0);
      e.start();
      ctx.runNextOneTimeCallable();
      register(ctx, e, 1);

      assertThat(e.snapshotState(8).assignments()).containsOnlyKeys("c");
      assertThat(ctx.getSentSourceEvent().get(0))
          .as("reader 0: told what was tracked when it came, then to leave a")
          .containsExactly(
              new TrackedChannelsEvent(java.util.Set.of("a", "b")),
              new RetireChannelsEvent(List.of("a")));
      assertThat(ctx.getSentSourceEvent().get(1))
          .as("reader 1 came after: told to keep only what the job tracks")
          .containsExactly(new TrackedChannelsEvent(java.util.Set.of("c")));
      assertThat(owned(ctx).values().stream().flatMap(List::stream)).containsExactly("c");
    }
  }

  @Test
  void afterARescaleRetiresEachChannelAtTheReaderThatRestoredIt() throws Throwable {
    IrcSourceEnumState checkpoint;
    try (MockSplitEnumeratorContext<IrcChannelSplit> ctx = new MockSplitEnumeratorContext<>(1)) {
      IrcSourceEnumerator e = fixed(ctx, List.of("a", "b", "c", "d"));
      register(ctx, e, 0);
      e.start();
      ctx.runNextOneTimeCallable();
      checkpoint = e.snapshotState(7);
    }
    assertThat(checkpoint.assignments())
        .containsOnly(Map.entry("a", 0), Map.entry("b", 0), Map.entry("c", 0), Map.entry("d", 0));
    // Resumed at parallelism 2: Flink gave reader 1 half of reader 0's channels.
    try (MockSplitEnumeratorContext<IrcChannelSplit> ctx = new MockSplitEnumeratorContext<>(2)) {
      IrcSourceEnumerator e =
          new IrcSourceEnumerator(
              ctx, ChannelDiscovery.fixed(List.of("a", "b", "c", "d")), 1000, checkpoint);
      e.start();
      ctx.runNextOneTimeCallable();
      register(ctx, e, 0);
      e.handleSourceEvent(0, new RestoredChannelsEvent(List.of("a", "b")));
      register(ctx, e, 1);
      e.handleSourceEvent(1, new RestoredChannelsEvent(List.of("c", "d")));
      assertThat(e.snapshotState(8).assignments())
          .containsOnly(Map.entry("a", 0), Map.entry("b", 0), Map.entry("c", 1), Map.entry("d", 1));

      e.onDiscovered(List.of("a", "d"), null); // b and c ended
      assertThat(ctx.getSentSourceEvent().get(0)).endsWith(new RetireChannelsEvent(List.of("b")));
      assertThat(ctx.getSentSourceEvent().get(1)).endsWith(new RetireChannelsEvent(List.of("c")));
      assertThat(ctx.getSplitsAssignmentSequence()).as("nothing assigned twice").isEmpty();
    }
  }

  @Test
  void aReaderThatRestoredAChannelNoLongerTrackedIsToldToLeaveIt() throws Throwable {
    IrcSourceEnumState checkpoint = new IrcSourceEnumState(Map.of("a", 0, "b", 0));
    try (MockSplitEnumeratorContext<IrcChannelSplit> ctx = new MockSplitEnumeratorContext<>(2)) {
      IrcSourceEnumerator e =
          new IrcSourceEnumerator(ctx, ChannelDiscovery.fixed(List.of("a")), 1000, checkpoint);
      register(ctx, e, 1);
      e.start();
      ctx.runNextOneTimeCallable(); // b retired while its reader was not known to hold it
      e.handleSourceEvent(1, new RestoredChannelsEvent(List.of("a", "b")));
      assertThat(ctx.getSentSourceEvent().get(1)).endsWith(new RetireChannelsEvent(List.of("b")));
      assertThat(e.snapshotState(8).assignments()).containsOnly(Map.entry("a", 1));
    }
  }

  @Test
  void followsTheTopStreamsAddingNewAndRetiringEndedOnes() throws Throwable {
    try (HelixServer helix = helix();
        MockSplitEnumeratorContext<IrcChannelSplit> ctx = new MockSplitEnumeratorContext<>(2)) {
      List<String> top = names("stream_", 250);
      helix.setLive(top);
      IrcSourceEnumerator e = top(ctx, helix, 230);
      register(ctx, e, 0);
      register(ctx, e, 1);
      e.start();
      ctx.runPeriodicCallable(0);

      Map<Integer, List<String>> owned = owned(ctx);
      List<String> all = new ArrayList<>(owned.get(0));
      all.addAll(owned.get(1));
      assertThat(all).hasSize(230).doesNotHaveDuplicates().containsAll(top.subList(0, 230));
      assertThat(owned.get(0)).hasSize(115);

      // stream_0 and stream_1 went offline; two new ones are in the top 230 now
      helix.setLive(top.subList(2, 250));
      ctx.runPeriodicCallable(0);

      Map<Integer, List<Object>> events = new HashMap<>();
      ctx.getSentSourceEvent()
          .forEach(
              (r, list) ->
                  events.put(
                      r,
                      new ArrayList<>(
                          list.stream().filter(RetireChannelsEvent.class::isInstance).toList())));
      assertThat(events.get(0)).containsExactly(new RetireChannelsEvent(List.of("stream_0")));
      assertThat(events.get(1)).containsExactly(new RetireChannelsEvent(List.of("stream_1")));
      assertThat(e.snapshotState(2).assignments())
          .hasSize(230)
          .doesNotContainKeys("stream_0", "stream_1");
      assertThat(lastAssignment(ctx)).containsOnlyKeys(0, 1);
    }
  }

  @Test
  void aRefreshThatFailsPartWayKeepsEveryChannelAndCountsTheFailure() throws Throwable {
    try (HelixServer helix = helix();
        MockSplitEnumeratorContext<IrcChannelSplit> ctx = new MockSplitEnumeratorContext<>(2)) {
      helix.setLive(1_000);
      IrcSourceEnumerator e = top(ctx, helix, TopStreams.ALL);
      register(ctx, e, 0);
      register(ctx, e, 1);
      e.start();
      ctx.runPeriodicCallable(0);
      assertThat(e.snapshotState(1).assignments()).hasSize(1_000);

      // Half the streams ended, and the listing fails on its third page for good: the refresh
      // must not retire the channels it did not reach (nor, being incomplete, any other).
      helix.setLive(HelixServer.generatedLogins(1_000).subList(0, 500));
      helix.failStreamRequests(3, 503, TopStreams.PAGE_ATTEMPTS);
      ctx.runPeriodicCallable(0);

      assertThat(e.snapshotState(2).assignments())
          .containsOnlyKeys(HelixServer.generatedLogins(1_000));
      assertThat(ctx.getSentSourceEvent().values().stream().flatMap(List::stream))
          .noneMatch(RetireChannelsEvent.class::isInstance);
      assertThat(e.discoveryFailures()).isEqualTo(1);

      // The next complete listing leaves the ended streams (missing from it and the failed one).
      ctx.runPeriodicCallable(0);
      ctx.runPeriodicCallable(0);
      assertThat(e.snapshotState(3).assignments()).hasSize(500);
    }
  }

  @Test
  void skipsStreamListEntriesThatAreNotTwitchLoginsAndKeepsTheOthers() throws Throwable {
    try (HelixServer helix = helix();
        MockSplitEnumeratorContext<IrcChannelSplit> ctx = new MockSplitEnumeratorContext<>(1)) {
      helix.setLive(
          List.of(
              "good_one",
              "evil\r\nPRIVMSG #x :hi",
              "two words",
              "a,b",
              "#hash",
              "",
              "x".repeat(26),
              "UPPER_Case",
              "last"));
      TopStreams discovery =
          new TopStreams(
              10,
              helix.helixBaseUrl(),
              helix.authBaseUrl(),
              "TWITCH_CLIENT_ID",
              "TWITCH_CLIENT_SECRET",
              CREDENTIALS);
      IrcSourceEnumerator e =
          new IrcSourceEnumerator(ctx, discovery, 60_000, IrcSourceEnumState.EMPTY);
      register(ctx, e, 0);
      e.start();
      ctx.runPeriodicCallable(0);
      assertThat(owned(ctx).get(0)).containsExactly("good_one", "upper_case", "last");
      assertThat(discovery.invalidLogins()).isEqualTo(6);
      ctx.runPeriodicCallable(0);
      assertThat(discovery.invalidLogins()).as("counted on every refresh").isEqualTo(12);
    }
  }

  @Test
  void anyDiscoveryHandingOutAnInvalidNameHasItIgnored() throws Throwable {
    try (MockSplitEnumeratorContext<IrcChannelSplit> ctx = new MockSplitEnumeratorContext<>(1)) {
      ChannelDiscovery discovery =
          new ChannelDiscovery() {
            @Override
            public List<String> discover() {
              return List.of("a", "b c", "#d", "e\n");
            }

            @Override
            public boolean isPeriodic() {
              return true;
            }
          };
      IrcSourceEnumerator e =
          new IrcSourceEnumerator(ctx, discovery, 60_000, IrcSourceEnumState.EMPTY);
      register(ctx, e, 0);
      e.start();
      ctx.runPeriodicCallable(0);
      assertThat(owned(ctx).get(0)).containsExactly("a");
    }
  }

  @Test
  void fetchesANewAppTokenWhenHelixRefusesTheOldOne() throws Throwable {
    try (HelixServer helix = helix()) {
      helix.setLive(List.of("a", "b"));
      TopStreams top =
          new TopStreams(
              10,
              helix.helixBaseUrl(),
              helix.authBaseUrl(),
              "TWITCH_CLIENT_ID",
              "TWITCH_CLIENT_SECRET",
              CREDENTIALS);
      assertThat(top.discover()).containsExactly("a", "b");
      helix.expireAppToken();
      assertThat(top.discover()).containsExactly("a", "b");
      assertThat(helix.appTokensIssued()).isEqualTo(2);
    }
  }

  @Test
  void failsClearlyWhenDiscoveryHasNoCredentials() {
    TopStreams top =
        new TopStreams(
            10,
            "http://127.0.0.1:1/helix",
            "http://127.0.0.1:1/oauth2",
            "NO_ID",
            "NO_SECRET",
            Secrets.of(Map.of()));
    try (MockSplitEnumeratorContext<IrcChannelSplit> ctx = new MockSplitEnumeratorContext<>(1)) {
      IrcSourceEnumerator e = new IrcSourceEnumerator(ctx, top, 1000, IrcSourceEnumState.EMPTY);
      e.start();
      assertThatThrownBy(() -> ctx.runPeriodicCallable(0))
          .hasMessageContaining("NO_ID and NO_SECRET")
          .hasMessageContaining("only a fixed channel list works");
    } catch (Exception ex) {
      throw new AssertionError(ex);
    }
  }

  private static HelixServer helix() {
    return HelixServer.start(CLIENT_ID, CLIENT_SECRET, "user-token", "refresh-token");
  }

  private static IrcSourceEnumerator fixed(
      MockSplitEnumeratorContext<IrcChannelSplit> ctx, List<String> channels) {
    return new IrcSourceEnumerator(
        ctx, ChannelDiscovery.fixed(channels), 1000, IrcSourceEnumState.EMPTY);
  }

  private static IrcSourceEnumerator top(
      MockSplitEnumeratorContext<IrcChannelSplit> ctx, HelixServer helix, int n) {
    TopStreams discovery =
        new TopStreams(
            n,
            helix.helixBaseUrl(),
            helix.authBaseUrl(),
            "TWITCH_CLIENT_ID",
            "TWITCH_CLIENT_SECRET",
            CREDENTIALS);
    return new IrcSourceEnumerator(ctx, discovery, 60_000, IrcSourceEnumState.EMPTY);
  }

  private static void register(
      MockSplitEnumeratorContext<IrcChannelSplit> ctx, IrcSourceEnumerator e, int reader) {
    ctx.registerReader(new ReaderInfo(reader, "localhost"));
    e.addReader(reader);
  }

  private static Map<Integer, List<String>> owned(MockSplitEnumeratorContext<IrcChannelSplit> ctx) {
    Map<Integer, List<String>> owned = new HashMap<>();
    for (SplitsAssignment<IrcChannelSplit> a : ctx.getSplitsAssignmentSequence()) {
      a.assignment()
          .forEach(
              (r, splits) ->
                  splits.forEach(
                      s -> owned.computeIfAbsent(r, k -> new ArrayList<>()).add(s.channel())));
    }
    return owned;
  }

  private static Map<Integer, List<IrcChannelSplit>> lastAssignment(
      MockSplitEnumeratorContext<IrcChannelSplit> ctx) {
    List<SplitsAssignment<IrcChannelSplit>> seq = ctx.getSplitsAssignmentSequence();
    return seq.get(seq.size() - 1).assignment();
  }

  private static List<String> names(String prefix, int n) {
    return IntStream.range(0, n).mapToObj(i -> prefix + i).toList();
  }
}
