package dev.streamhighlights.job.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.streamhighlights.simulator.ChatServer;
import dev.streamhighlights.simulator.HelixServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.LongPredicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rescale on a cluster beyond one JVM: a standalone Flink 1.20.5 cluster with two TaskManager
 * JVMs of one slot each, the MongoDB-compatible server in its own JVM and the simulated Twitch. The
 * job reads a fixed list of channels at parallelism 1, stops with a savepoint and resumes from it
 * at parallelism 2 following the top streams, one of which ended meanwhile; later two more end, one
 * from each reader. Checked at the fake chat server: each channel read by exactly one connection,
 * the two readers (on different TaskManagers) each reading some, every retired channel left by the
 * connection that held it and the others kept where they were; and in MongoDB: every count from the
 * resume on equals what the server delivered.
 */
class RescaleIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final List<String> CHANNELS =
      IntStream.range(0, 8).mapToObj(i -> "rescale" + i).toList();
  private static final Duration WINDOW = Duration.ofSeconds(2);

  /** Messages per second and channel: 10 in every window. */
  private static final int RATE = 5;

  private static final List<String> DETECTION =
      List.of(
          "--rule", "variance", // the rule whose history --history-windows shortens
          "--clips-per-hour", "0", // every highlight is clipped, as the checks expect
          "--window", "2s",
          "--history-windows", "5",
          "--out-of-orderness", "1s",
          "--checkpoint-interval", "1s");

  @TempDir Path dir;
  private MongoProcess mongo;
  private StandaloneCluster cluster;

  @AfterEach
  void stopEverything() throws Exception {
    try (AutoCloseable m = mongo;
        AutoCloseable c = cluster) {
      // the cluster first, then the database it writes to
    }
  }

  @Test
  void aRescaleFromOneToTwoReadersSpreadsTheChannelsReadsEachOnceAndRetiresAtTheRightReader()
      throws Exception {
    mongo = MongoProcess.start(dir.resolve("mongo"));
    try (ChatServer twitch = ChatServer.start();
        HelixServer helix =
            HelixServer.start("e2e-client", "e2e-secret", "e2e-token", "e2e-refresh");
        MongoClient client = MongoClients.create(mongo.uri());
        SteadyChat chat = new SteadyChat(twitch, CHANNELS, RATE, WINDOW);
        StoredActivity stored = new StoredActivity(client, CHANNELS)) {
      cluster = new StandaloneCluster(dir, mongo.uri());
      cluster.setEnv("TASKMANAGERS", "2");
      cluster.setEnv("TASKMANAGER_SLOTS", "1");
      cluster.start();
      List<String> endpoints =
          List.of(
              "--irc-uri", twitch.ircUri().toString(),
              "--helix-url", helix.helixBaseUrl(),
              "--auth-url", helix.authBaseUrl());

      // Parallelism 1: one reader, one login, every channel.
      String first =
          cluster.submit(
              StandaloneCluster.concat(
                  List.of("-p", "1", "--channels", String.join(",", CHANNELS)),
                  endpoints,
                  DETECTION));
      await("every channel joined by one connection", () -> readOnce(twitch, CHANNELS));
      assertThat(byNick(twitch)).as("channels by login at parallelism 1").hasSize(1);
      chat.start();
      await(
          "a window of every channel stored",
          () -> CHANNELS.stream().allMatch(c -> !stored.counts(c).isEmpty()));

      long stopping = System.currentTimeMillis();
      String savepoint = cluster.stopWithSavepoint(first);
      await("channels left", () -> Collections.disjoint(twitch.joinedChannels(), CHANNELS));

      // Parallelism 2, following the top streams; one stream ended while the job was down.
      String endedWhileDown = CHANNELS.get(CHANNELS.size() - 1);
      List<String> live = new ArrayList<>(CHANNELS.subList(0, CHANNELS.size() - 1));
      helix.setLive(live);
      int beforeResume = twitch.memberships().size();
      String second =
          cluster.resume(
              savepoint,
              StandaloneCluster.concat(
                  List.of("-p", "2", "--top", "10", "--discovery-interval", "1s"),
                  endpoints,
                  DETECTION));
      await("the live channels each joined by one connection", () -> readOnce(twitch, live));
      long resumed = System.currentTimeMillis();
      await(
          "'" + endedWhileDown + "' not read",
          () -> !twitch.joinedChannels().contains(endedWhileDown));
      long leftAfterResume = System.currentTimeMillis();
      Map<String, Set<String>> readers = byNick(twitch);
      assertThat(readers).as("channels by login after the rescale").hasSize(2);
      assertThat(readers.values())
          .as("channels of each reader")
          .allSatisfy(c -> assertThat(c).isNotEmpty());
      List<String> taskManagers = cluster.rest().sourceTaskManagers(second);
      assertThat(taskManagers).as("TaskManagers of the source's subtasks").hasSize(2);
      assertThat(taskManagers.get(0)).isNotEqualTo(taskManagers.get(1));
      // Restored by one of the readers: left by that reader's connection, or never joined.
      assertLeftByItsHolderIfJoined(twitch, endedWhileDown, beforeResume);

      // Two streams end, one of each reader: each is left by the connection that reads it.
      Map<String, String> endedNow = new TreeMap<>();
      readers.forEach((nick, channels) -> endedNow.put(channels.iterator().next(), nick));
      live.removeAll(endedNow.keySet());
      int beforeRetiring = twitch.memberships().size();
      helix.setLive(live);
      long retiring = System.currentTimeMillis();
      await(
          "" + endedNow.keySet() + " left",
          () -> Collections.disjoint(twitch.joinedChannels(), endedNow.keySet()));
      long retired = System.currentTimeMillis();
      endedNow.forEach(
          (channel, nick) -> {
            List<ChatServer.Membership> changes = changes(twitch, channel, beforeRetiring);
            assertThat(changes)
                .as("%s left by its reader's connection", channel)
                .containsExactly(new ChatServer.Membership(nick, channel, false));
          });
      Map<String, Set<String>> kept = byNick(twitch);
      readers.values().forEach(c -> c.removeAll(endedNow.keySet()));
      assertThat(kept).as("the other channels stay with their readers").isEqualTo(readers);
      assertThat(readOnce(twitch, live)).isTrue();

      // A few windows more, then every channel quiet until the last window is stored.
      Thread.sleep(2 * WINDOW.toMillis());
      long last = chat.windowStart(chat.stop());
      await(
          "the last windows stored",
          () -> live.stream().allMatch(c -> stored.firstSeen(c, last) != null));

      // Exact from the resume on, and before the stop; only the windows around the stop, and
      // those of a channel's retirement (its queued messages are dropped), may be short.
      LongPredicate aroundTheStop = w -> w + WINDOW.toMillis() > stopping && w < resumed;
      for (String c : live) {
        stored.assertCounts(c, twitch.sentPerWindow(c, WINDOW.toMillis()), aroundTheStop);
      }
      for (String c : endedNow.keySet()) {
        Map<Long, Long> sent = twitch.sentPerWindow(c, WINDOW.toMillis());
        stored.assertCounts(c, sent, aroundTheStop.or(w -> w + WINDOW.toMillis() > retiring));
        assertThat(sent.keySet()).as("windows of %s sent", c).allMatch(w -> w <= retired);
      }
      Map<Long, Long> sentEnded = twitch.sentPerWindow(endedWhileDown, WINDOW.toMillis());
      stored.assertCounts(endedWhileDown, sentEnded, w -> w + WINDOW.toMillis() > stopping);
      assertThat(sentEnded.keySet())
          .as("windows of %s sent", endedWhileDown)
          .allMatch(w -> w <= leftAfterResume);
      assertThat(stored.decreases()).isEmpty();
      assertThat(cluster.rest().isRunning(second)).isTrue();
      assertThat(cluster.rest().failures(second)).isZero();
    }
  }

  /** Every channel joined by exactly one live connection, none by two. */
  private static boolean readOnce(ChatServer twitch, List<String> channels) {
    Map<String, Integer> readers = new HashMap<>();
    for (ChatServer.Connection c : twitch.liveConnections()) {
      c.channels().forEach(ch -> readers.merge(ch, 1, Integer::sum));
    }
    assertThat(readers.values()).as("connections per channel").allMatch(n -> n == 1);
    return readers.keySet().containsAll(channels);
  }

  /** The channels each login's live connections have joined. */
  private static Map<String, Set<String>> byNick(ChatServer twitch) {
    Map<String, Set<String>> byNick = new TreeMap<>();
    for (ChatServer.Connection c : twitch.liveConnections()) {
      if (!c.channels().isEmpty()) {
        byNick.computeIfAbsent(c.nick(), n -> new TreeSet<>()).addAll(c.channels());
      }
    }
    return byNick;
  }

  /** The channel's JOINs and PARTs since the {@code from}th membership change of the server. */
  private static List<ChatServer.Membership> changes(ChatServer twitch, String channel, int from) {
    List<ChatServer.Membership> all = twitch.memberships();
    return all.subList(from, all.size()).stream().filter(m -> m.channel().equals(channel)).toList();
  }

  /**
   * Since the {@code from}th membership change, the channel was never joined, or joined once and
   * then left with a PART by the same login, the one that held it.
   */
  private static void assertLeftByItsHolderIfJoined(ChatServer twitch, String channel, int from) {
    List<ChatServer.Membership> changes = changes(twitch, channel, from);
    if (changes.isEmpty()) {
      return;
    }
    assertThat(changes).as("JOINs and PARTs of %s", channel).hasSize(2);
    assertThat(changes.get(0).joined()).as("%s: %s", channel, changes).isTrue();
    assertThat(changes.get(1))
        .as("%s left by the connection that held it: %s", channel, changes)
        .isEqualTo(new ChatServer.Membership(changes.get(0).nick(), channel, false));
  }

  private void await(String what, Callable<Boolean> condition) throws Exception {
    cluster.await(what, WAIT, condition);
  }
}
