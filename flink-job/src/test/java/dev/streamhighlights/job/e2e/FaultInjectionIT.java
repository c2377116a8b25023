package dev.streamhighlights.job.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.streamhighlights.job.detect.DetectorModel;
import dev.streamhighlights.simulator.ChatServer;
import dev.streamhighlights.simulator.HelixServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.LongPredicate;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults injected into real processes while live chat of steady rate flows: the standalone Flink
 * cluster (JobManager and TaskManager JVMs), the MongoDB-compatible server in its own JVM, and the
 * simulated Twitch chat and Helix. The job runs with its default detection and clip budget (the
 * excess rule, 6 clips per channel per hour); short settings keep it quick with the same
 * mechanisms: 1 s windows, 1 s out-of-orderness, gaps of 8-20 s.
 *
 * <p>Whatever the fault, the same promises are checked: no highlight comes from windows the job did
 * not watch; no clip request for a moment older than the bound; each highlight stored once and
 * clipped at most once; every stored count equals what the chat server delivered to the job's
 * connection (where the job was down: at most that) and never decreases; the job is RUNNING
 * afterwards without a restart loop. What the job loses while it is down is printed.
 *
 * <p>Covered by fast in-process tests instead: a chat-topic record of random bytes ({@code
 * KafkaPipelineTest.poisonRecordsOnTheChatTopicAreSkippedAndTheJobReadsOn}), the watchdog taking a
 * frozen connection for dead ({@code ChatClientTest.theWatchdogReconnectsAFrozenConnection}; here
 * the server drops the frozen connection instead of waiting a minute for the watchdog).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultInjectionIT {

  private static final Duration WINDOW = Duration.ofSeconds(1);

  /**
   * Windows the default rule must have watched before it judges one (the shipped model's {@code
   * min-windows}).
   */
  private static final int HISTORY = DetectorModel.shipped().minWindows();

  private static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(1);

  /** Messages per second and channel: 10 in every window, a steady channel that never surges. */
  private static final int RATE = 10;

  /** Extra messages that make a surge. */
  private static final int SURGE = 60;

  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir static Path dir;

  private MongoProcess mongo;
  private StandaloneCluster cluster;
  private FlinkRest rest;
  private ChatServer twitch;
  private HelixServer helix;
  private MongoClient client;
  private final Map<String, String> roomIds = new HashMap<>();
  private final List<String> jobs = new ArrayList<>();

  @BeforeAll
  void startProcesses() throws Exception {
    mongo = MongoProcess.start(dir.resolve("mongo"));
    twitch = ChatServer.start();
    helix = HelixServer.start("e2e-client", "e2e-secret", "e2e-token", "e2e-refresh");
    // Reads fail fast while a test has MongoDB down.
    client = MongoClients.create(mongo.uri() + "/?serverSelectionTimeoutMS=1000");
    cluster = new StandaloneCluster(dir, mongo.uri()).start();
    rest = cluster.rest();
  }

  @AfterAll
  void stopProcesses() throws Exception {
    try (AutoCloseable m = mongo;
        AutoCloseable t = twitch;
        AutoCloseable h = helix;
        AutoCloseable k = client;
        AutoCloseable c = cluster) {
      // closed in reverse order: the cluster before the servers it talks to
    }
  }

  @AfterEach
  void cancelJobs() throws Exception {
    for (String job : jobs) {
      if (rest.isRunning(job) || "RESTARTING".equals(rest.state(job))) {
        rest.cancel(job);
      }
    }
    jobs.clear();
  }

  /**
   * Stop with a savepoint, a gap of 20 windows, resume from the savepoint: before the watch-start
   * markers every channel of steady chat fired in the first windows after the resume. Also a future
   * tmi-sent-ts in every channel (dropped and counted; the chat after it is not late), and every
   * channel going quiet at the end (the last window still closes, with the wall clock).
   */
  @Test
  @Order(1)
  void aJobResumedAfterAGapClipsNothingFromTheGapAndKeepsItsCountsExact() throws Exception {
    List<String> channels = channels("gap_a", "gap_b", "gap_c");
    Duration gap = Duration.ofSeconds(20);
    try (SteadyChat chat = new SteadyChat(twitch, channels, RATE, WINDOW);
        StoredActivity stored = new StoredActivity(client, channels)) {
      String first = submit(channels, "1s");
      chat.start();
      Thread.sleep(3_000);

      // Chat stamped an hour ahead, and an 18-digit tmi-sent-ts: one in each channel, so before the
      // bound every channel's watermark would have jumped ahead and all later chat been late.
      long now = System.currentTimeMillis();
      twitch.sendMessages("gap_a", now + 3_600_000, 1);
      twitch.sendMessages("gap_b", 100_000_000_000_000_000L, 1);
      twitch.sendMessages("gap_c", now + 3_600_000, 1);
      await("future messages counted", () -> rest.sourceMetric(first, "futureTimestamps") == 3);
      Thread.sleep(7_000);

      long stopping = System.currentTimeMillis();
      String savepoint = cluster.stopWithSavepoint(first);
      await("channels left", () -> Collections.disjoint(twitch.joinedChannels(), channels));
      Thread.sleep(Math.max(0, stopping + gap.toMillis() - System.currentTimeMillis()));
      long resuming = System.currentTimeMillis();
      String second = cluster.resume(savepoint, jobArgs(channels, "1s"));
      jobs.add(second);
      awaitJoined(channels);
      long rejoined = System.currentTimeMillis();

      // The first windows after the gap are where the false highlights were; the detector can fire
      // again once it watched a full history, and then it does, on a real surge only.
      Thread.sleep((HISTORY + 2) * WINDOW.toMillis());
      assertThat(stored.highlights()).as("highlights from the unwatched gap").isEmpty();
      long surge = chat.surge("gap_c", SURGE);
      await("the surge's highlight", () -> !stored.highlights().isEmpty());

      // Every channel quiet: the last window with messages closes with the wall clock.
      long lastWindow = chat.windowStart(chat.stop());
      await(
          "the last windows stored",
          () -> channels.stream().allMatch(c -> stored.firstSeen(c, lastWindow) != null));
      long closedAfter = 0;
      for (String c : channels) {
        closedAfter =
            Math.max(closedAfter, stored.firstSeen(c, lastWindow) - lastWindow - WINDOW.toMillis());
      }

      report(
          "stop with savepoint, "
              + gap.toSeconds()
              + " s gap, resume (chat read again "
              + seconds(rejoined - stopping)
              + " s after the stop began; last window closed "
              + seconds(closedAfter)
              + " s after its end)",
          chat,
          stored,
          channels);
      assertThat(closedAfter)
          .as("ms from the end of the last window to its document, without further chat")
          .isLessThanOrEqualTo(WINDOW.plus(OUT_OF_ORDERNESS).plusSeconds(3).toMillis());
      assertThat(stored.highlights().keySet()).containsExactly("gap_c:" + surge);
      // Exact before the stop and from the resume on; the windows around the stop may miss what
      // reached the socket after the final savepoint.
      for (String c : channels) {
        assertCounts(c, stored, w -> w + WINDOW.toMillis() > stopping && w < resuming);
        assertThat(stored.partialWindows(c))
            .as("windows where watching %s (re)started", c)
            .hasSize(2)
            .last()
            .satisfies(w -> assertThat(w).isGreaterThanOrEqualTo(chat.windowStart(resuming)));
      }
      assertThat(stored.decreases()).isEmpty();
      assertThat(rest.isRunning(second)).isTrue();
      assertThat(rest.failures(second)).isZero();
    }
  }

  /**
   * The TaskManager JVM killed with SIGKILL while a clip request is held by Helix, and a new one
   * started: the job restores from its last checkpoint (5 s interval, so windows stored after it
   * fire again with fewer messages), does not clip the moment again, fires nothing from the gap,
   * and runs on without further restarts.
   */
  @Test
  @Order(2)
  void aKilledTaskManagerIsReplacedWithoutAFalseOrDoubleClip() throws Exception {
    List<String> channels = channels("tm_a", "tm_b", "tm_c");
    try (SteadyChat chat = new SteadyChat(twitch, channels, RATE, WINDOW);
        StoredActivity stored = new StoredActivity(client, channels)) {
      String job = submit(channels, "5s");
      chat.start();
      Thread.sleep((HISTORY + 3) * WINDOW.toMillis());

      helix.slowNextCreates(Duration.ofSeconds(20), 1);
      long surge = chat.surge("tm_a", SURGE);
      await("the clip request", () -> creates(channels).size() == 1);
      long requested = creates(channels).get(0).atMillis();
      // A checkpoint with the request in flight, then windows stored after it, then the kill.
      await("a checkpoint after the request", () -> lastCheckpoint(job) > requested);
      long checkpoint = lastCheckpoint(job);
      // The kill must come while the request is still in flight: the job's HTTP client gives up
      // on it after 10 s and records 'failed' (on a loaded machine the checkpoint alone can take
      // seconds, and killing 3.5 s after it came too late twice in CI).
      long killAt = Math.min(checkpoint + 3_500, requested + 8_000);
      Thread.sleep(Math.max(0, killAt - System.currentTimeMillis()));
      long restoredFrom = lastCheckpoint(job);
      cluster.killTaskManager();
      long killed = System.currentTimeMillis();
      cluster.startTaskManager();
      await("the TaskManager's loss noticed", () -> rest.failures(job) > 0);
      long noticed = System.currentTimeMillis();
      await("the job running again", () -> rest.isRunning(job));
      long running = System.currentTimeMillis();
      awaitJoined(channels);
      long rejoined = System.currentTimeMillis();
      long failures = rest.failures(job);

      await("the interrupted clip's highlight", () -> stored.highlights().size() == 1);
      Thread.sleep((HISTORY + 2) * WINDOW.toMillis());
      assertThat(stored.highlights().keySet())
          .as("highlights from the gap")
          .containsExactly("tm_a:" + surge);
      long surge2 = chat.surge("tm_b", SURGE);
      await("the second surge's highlight", () -> stored.highlights().size() == 2);
      long lastWindow = chat.windowStart(chat.stop());
      await(
          "the last windows stored",
          () -> channels.stream().allMatch(c -> stored.firstSeen(c, lastWindow) != null));

      report(
          String.format(
              Locale.ROOT,
              "TaskManager killed %s s after the checkpoint restored; loss noticed %s s after the"
                  + " kill, job RUNNING after %s s, chat read again after %s s; %d failure(s);"
                  + " restart strategy: %s",
              seconds(killed - restoredFrom),
              seconds(noticed - killed),
              seconds(running - killed),
              seconds(rejoined - killed),
              failures,
              rest.restartStrategy(job)),
          chat,
          stored,
          channels);

      Map<String, Document> highlights = stored.highlights();
      assertThat(highlights.keySet()).containsExactly("tm_a:" + surge, "tm_b:" + surge2);
      assertThat(status(highlights.get("tm_a:" + surge)))
          .as("claimed by the killed run, which never learned the outcome")
          .isEqualTo("interrupted");
      assertThat(status(highlights.get("tm_b:" + surge2))).isEqualTo("created");
      assertThat(creates(channels))
          .as("one request per moment")
          .extracting(HelixServer.CreateRequest::broadcasterId)
          .containsExactly(roomIds.get("tm_a"), roomIds.get("tm_b"));

      assertThat(rest.isRunning(job)).isTrue();
      assertThat(failures).as("failures (restarts) to recover").isBetween(1L, 2L);
      assertThat(rest.failures(job)).as("failures since it recovered").isEqualTo(failures);
      // Exact up to the checkpoint restored and from the rejoin on; in between, windows stored
      // before the kill keep their full count ($max) and the others miss what the dead process had.
      for (String c : channels) {
        assertCounts(c, stored, w -> w + WINDOW.toMillis() > restoredFrom && w < rejoined);
      }
      assertThat(stored.decreases()).isEmpty();
    }
  }

  /**
   * Helix answering 503 for 15 s, then slowly; the MongoDB server's JVM killed and started again
   * after 20 s on the same port and data; the chat server frozen (sockets open, no data) for 8 s,
   * then dropping every connection. No window is lost, no clip is requested for a moment older than
   * --clip-max-age, no highlight comes from the frozen gap, and only the drop reconnects.
   */
  @Test
  @Order(3)
  void helixMongoAndChatFailuresCostNoWindowAndNoWrongClip() throws Exception {
    List<String> channels = channels("ops_a", "ops_b", "ops_c", "ops_d");
    Duration maxAge = Duration.ofSeconds(8);
    try (SteadyChat chat = new SteadyChat(twitch, channels, RATE, WINDOW);
        StoredActivity stored = new StoredActivity(client, channels)) {
      String job = submit(channels, "1s", "--clip-max-age", maxAge.toSeconds() + "s");
      chat.start();
      Thread.sleep((HISTORY + 3) * WINDOW.toMillis());

      // Helix fails with 503 for 15 s: retried with backoff, never past the moment's bound.
      Duration outage = Duration.ofSeconds(15);
      helix.failCreatesFor(503, outage);
      long helixBack = System.currentTimeMillis() + outage.toMillis();
      long failing = chat.surge("ops_a", SURGE);
      await("the highlight during the Helix outage", () -> stored.highlights().size() == 1);
      Thread.sleep(Math.max(0, helixBack - System.currentTimeMillis()));
      // Then Helix answers, slowly.
      helix.slowCreatesFor(Duration.ofSeconds(3), Duration.ofSeconds(30));
      long slow = chat.surge("ops_b", SURGE);
      await("the highlight while Helix is slow", () -> stored.highlights().size() == 2);
      Map<String, Document> clipped = stored.highlights();
      List<String> ages =
          creates(channels).stream()
              .map(
                  r ->
                      r.broadcasterId()
                          + "@"
                          + seconds(
                              r.atMillis()
                                  - highlightOf(clipped, r.broadcasterId())
                                      .getDate("detectedAt")
                                      .getTime()))
              .toList();
      System.out.printf(
          Locale.ROOT,
          "FaultInjectionIT: clip requests (room id @ age of the moment in s, bound %d s): %s%n",
          maxAge.toSeconds(),
          ages);
      assertThat(status(clipped.get("ops_a:" + failing))).isEqualTo("stale");
      assertThat(status(clipped.get("ops_b:" + slow))).isEqualTo("created");
      assertThat(creates(channels))
          .as("requests: the 503s while the moment was young, then the slow one")
          .hasSizeGreaterThanOrEqualTo(3)
          .allSatisfy(
              r -> {
                Document h = highlightOf(clipped, r.broadcasterId());
                long age = r.atMillis() - h.getDate("detectedAt").getTime();
                assertThat(age)
                    .as("age of the moment at its request (ms)")
                    .isBetween(0L, maxAge.toMillis());
              });

      // MongoDB's JVM killed, back after 20 s with the same port and data. The server writes its
      // H2 file about once a second, and what it acknowledged since dies with it (up to about
      // 0.5 s of writes measured): wait until the highlights are on disk.
      Thread.sleep(2_000);
      int connections = twitch.totalConnections();
      mongo.kill();
      long killed = System.currentTimeMillis();
      Thread.sleep(20_000);
      mongo.restart();
      long mongoBack = System.currentTimeMillis();
      await(
          "the windows of the outage stored",
          () -> stored.firstSeen("ops_d", chat.windowStart(mongoBack)) != null);
      long caughtUp = System.currentTimeMillis();
      assertThat(twitch.totalConnections()).as("chat connections made").isEqualTo(connections);
      assertThat(rest.isRunning(job)).isTrue();

      // The chat server hangs (no data, sockets open), then drops every connection.
      twitch.freezeAll();
      Thread.sleep((HISTORY + 3) * WINDOW.toMillis());
      twitch.dropAll();
      awaitJoined(channels);
      long rejoined = System.currentTimeMillis();
      Thread.sleep((HISTORY + 1) * WINDOW.toMillis());
      assertThat(stored.highlights().keySet())
          .as("highlights after the rejoin")
          .containsExactly("ops_a:" + failing, "ops_b:" + slow);
      long after = chat.surge("ops_c", SURGE);
      await("the highlight after the rejoin", () -> stored.highlights().size() == 3);
      long lastWindow = chat.windowStart(chat.stop());
      await(
          "the last windows stored",
          () -> channels.stream().allMatch(c -> stored.firstSeen(c, lastWindow) != null));

      // Windows written in the server's last second are gone with it (see above); the server had
      // acknowledged them, so the job does not write them again. A window is written at most
      // out-of-orderness + 0.2 s (watermark interval) + 0.5 s (sink flush) after its end.
      Map<String, List<Long>> lostByServer = new TreeMap<>();
      for (String c : channels) {
        Map<Long, Long> counts = stored.counts(c);
        lostByServer.put(
            c,
            twitch.sentPerWindow(c, WINDOW.toMillis()).keySet().stream()
                .filter(w -> w < killed && !counts.containsKey(w))
                .toList());
      }
      System.out.printf(
          Locale.ROOT,
          "FaultInjectionIT: MongoDB killed for %s s; every window stored %s s after it was back;"
              + " windows it had acknowledged and lost: %s%n",
          seconds(mongoBack - killed),
          seconds(caughtUp - mongoBack),
          lostByServer);
      report(
          "Helix 503 then slow, MongoDB killed, chat frozen then dropped (rejoined at "
              + seconds(rejoined - killed)
              + " s)",
          chat,
          stored,
          channels);
      assertThat(status(stored.highlights().get("ops_c:" + after))).isEqualTo("created");
      assertThat(twitch.totalConnections())
          .as("one reconnect, after the drop")
          .isEqualTo(connections + 1);
      assertThat(rest.isRunning(job)).isTrue();
      assertThat(rest.failures(job)).isZero();
      for (String c : channels) {
        List<Long> lost = lostByServer.get(c);
        assertThat(lost)
            .as("windows of %s written in the killed server's last second", c)
            .allSatisfy(
                w ->
                    assertThat(w + WINDOW.toMillis())
                        .isBetween(killed - OUT_OF_ORDERNESS.toMillis() - 2_000, killed));
        assertCounts(c, stored, lost::contains);
      }
      assertThat(stored.decreases()).isEmpty();
    }
  }

  // ---------------------------------------------------------------- the job

  private String submit(List<String> channels, String checkpointInterval, String... more)
      throws Exception {
    String job = cluster.submit(jobArgs(channels, checkpointInterval, more));
    jobs.add(job);
    awaitJoined(channels);
    return job;
  }

  private List<String> jobArgs(List<String> channels, String checkpointInterval, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--channels",
                String.join(",", channels),
                "--irc-uri",
                twitch.ircUri().toString(),
                "--helix-url",
                helix.helixBaseUrl(),
                "--auth-url",
                helix.authBaseUrl(),
                "--window",
                WINDOW.toSeconds() + "s",
                "--out-of-orderness",
                OUT_OF_ORDERNESS.toSeconds() + "s",
                "--checkpoint-interval",
                checkpointInterval,
                "--clip-confirm-within",
                "5s"));
    args.addAll(List.of(more));
    return args;
  }

  /** The channels, each with a room id of its own so clip requests tell them apart. */
  private List<String> channels(String... names) {
    for (String name : names) {
      String id = String.valueOf(900_000 + roomIds.size());
      roomIds.put(name, id);
      twitch.setRoomId(name, id);
    }
    return List.of(names);
  }

  private List<HelixServer.CreateRequest> creates(List<String> channels) {
    List<String> ids = channels.stream().map(roomIds::get).toList();
    return helix.creates().stream().filter(r -> ids.contains(r.broadcasterId())).toList();
  }

  private Document highlightOf(Map<String, Document> highlights, String roomId) {
    return highlights.values().stream()
        .filter(h -> h.getString("channelId").equals(roomId))
        .findFirst()
        .orElseThrow(() -> new AssertionError("a clip request without a highlight: " + roomId));
  }

  private static String status(Document highlight) {
    assertThat(highlight).isNotNull();
    return highlight.get("clip", Document.class).getString("status");
  }

  private long lastCheckpoint(String job) {
    try {
      return rest.latestCheckpointTriggered(job);
    } catch (Exception e) {
      return 0;
    }
  }

  // ---------------------------------------------------------------- counts

  /**
   * Stored counts against what the chat server delivered (see {@link StoredActivity#assertCounts}).
   */
  private void assertCounts(String channel, StoredActivity stored, LongPredicate mayBeShort) {
    stored.assertCounts(channel, twitch.sentPerWindow(channel, WINDOW.toMillis()), mayBeShort);
  }

  /**
   * Prints what the fault cost: chat sent while nobody read it, and chat delivered to the job that
   * no stored window counts, in messages and in seconds of this steady chat.
   */
  private void report(String fault, SteadyChat chat, StoredActivity stored, List<String> channels) {
    StringBuilder sb = new StringBuilder("FaultInjectionIT: " + fault + "\n");
    for (String c : channels) {
      long tried = chat.attemptedPerWindow(c).values().stream().mapToLong(Long::longValue).sum();
      long delivered =
          twitch.sentPerWindow(c, WINDOW.toMillis()).entrySet().stream()
              .filter(e -> e.getKey() <= System.currentTimeMillis())
              .mapToLong(Map.Entry::getValue)
              .sum();
      long counted = stored.counts(c).values().stream().mapToLong(Long::longValue).sum();
      sb.append(
          String.format(
              Locale.ROOT,
              "  %s: %d sent, %d not delivered (%s s), %d delivered but not counted (%s s)%n",
              c,
              tried,
              tried - delivered,
              seconds((tried - delivered) * 1000 / RATE),
              delivered - counted,
              seconds((delivered - counted) * 1000 / RATE)));
    }
    System.out.print(sb);
  }

  private static String seconds(long millis) {
    return String.format(Locale.ROOT, "%.1f", millis / 1000.0);
  }

  // ---------------------------------------------------------------- waiting

  private void awaitJoined(List<String> channels) throws Exception {
    await("channels joined", () -> twitch.joinedChannels().containsAll(channels));
  }

  private void await(String what, Callable<Boolean> condition) throws Exception {
    cluster.await(what, WAIT, condition);
  }
}
