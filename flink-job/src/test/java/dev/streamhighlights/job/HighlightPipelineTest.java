package dev.streamhighlights.job;

import static dev.streamhighlights.job.testing.ChatScript.counts;
import static dev.streamhighlights.job.testing.ChatScript.windowStart;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamhighlights.irc.model.ChatMessage;
import dev.streamhighlights.job.backtest.ListChatSource;
import dev.streamhighlights.job.clip.OfflineClipCreator;
import dev.streamhighlights.job.detect.DetectorModel;
import dev.streamhighlights.job.model.ChannelActivity;
import dev.streamhighlights.job.mongo.ActivityReader;
import dev.streamhighlights.job.mongo.MongoSinks;
import dev.streamhighlights.job.testing.ChatScript;
import dev.streamhighlights.job.testing.SlowChat;
import dev.streamhighlights.job.testing.TestCluster;
import dev.streamhighlights.job.testing.TestMongo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The production topology on a MiniCluster, into a MongoDB-wire server, checked document by
 * document.
 */
class HighlightPipelineTest {

  private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      TestCluster.create(METRICS.addToConfiguration(TestCluster.noRestarts()));

  private static TestMongo mongo;

  @BeforeAll
  static void startMongo() {
    mongo = new TestMongo();
  }

  @AfterAll
  static void stopMongo() {
    mongo.close();
  }

  @BeforeEach
  void cleanDatabase() {
    mongo.drop();
  }

  @Test
  void storesOneHighlightForOneSurgeAndEveryWindowsCount() throws Exception {
    ChatScript chat =
        new ChatScript()
            .channel("alpha", counts(20, 2, 12, 40, 13, 35)) // a surge held for two windows
            .channel("beta", counts(20, 3)); // steady chat: nothing to clip

    run(chat, PipelineSettings.defaults());

    Document expected =
        new Document("_id", "alpha:" + windowStart(12))
            .append("channel", "alpha")
            .append("channelId", "alpha-id")
            .append("windowStart", new Date(windowStart(12)))
            .append("windowEnd", new Date(windowStart(13)))
            .append("detectedAt", new Date(windowStart(13)))
            .append("count", 40L)
            .append("movingAverage", 2.0)
            .append("derivative", 38.0)
            .append("score", excessScore(2.0, 40))
            .append("surges", 1)
            .append("clipSeconds", 60)
            .append("rule", "excess")
            .append(
                "clip",
                new Document("status", "offline")
                    .append("id", null)
                    .append("url", null)
                    .append("editUrl", null)
                    .append("error", null));
    assertThat(mongo.all(MongoSinks.HIGHLIGHTS)).containsExactly(expected);

    List<ChannelActivity> activity = ActivityReader.all(mongo.database());
    assertThat(activity).hasSize(40);
    assertThat(activity.get(12))
        .isEqualTo(
            new ChannelActivity("alpha", "alpha-id", windowStart(12), windowStart(13), 40L, false));
    assertThat(activity.stream().filter(a -> a.channel().equals("beta")))
        .allSatisfy(a -> assertThat(a.count()).isEqualTo(3L));
  }

  /** The shipped excess rule's score of {@code count} messages over a baseline of {@code mean}. */
  private static double excessScore(double mean, long count) {
    DetectorModel m = DetectorModel.shipped();
    double excess = (count - mean) / Math.pow(mean + 1, m.exponent());
    double z = m.weightExcess() * excess + m.weightLevel() * Math.log(mean + 1) + m.weightBias();
    return 1 / (1 + Math.exp(-z));
  }

  @Test
  void highlightsOverTheChannelsClipBudgetAreStoredWithoutAClip() throws Exception {
    long[] surges = counts(120, 2);
    for (int w = 40; w < 120; w += 10) {
      surges[w] = 40; // eight moments in 20 minutes
    }
    run(
        new ChatScript().channel("alpha", surges),
        PipelineSettings.builder().clipsPerHour(1).build());

    List<Document> stored = mongo.all(MongoSinks.HIGHLIGHTS);
    assertThat(stored).hasSize(8);
    assertThat(stored)
        .extracting(d -> d.get("clip", Document.class).getString("status"))
        .containsOnly("offline", "over-budget")
        .filteredOn("offline"::equals)
        .hasSize(1);
  }

  @Test
  void seedRuleFiresOnTheRiseAsTheOldSystemDid() throws Exception {
    // 10 windows of 10, then 40: derivative 30 > average (9 x 10 + 40) / 10 = 13
    ChatScript chat = new ChatScript().channel("alpha", counts(16, 10, 10, 40));
    PipelineSettings seed = PipelineSettings.builder().rule("seed").build();

    run(chat, seed);

    assertThat(mongo.all(MongoSinks.HIGHLIGHTS))
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.getString("_id")).isEqualTo("alpha:" + windowStart(10));
              assertThat(d.getDouble("movingAverage")).isEqualTo(13.0);
              assertThat(d.getDouble("derivative")).isEqualTo(30.0);
              assertThat(d.getString("rule")).isEqualTo("seed");
            });
  }

  @Test
  void confirmationNeedsTheSurgeToHoldOrRepeat() throws Exception {
    PipelineSettings twoSurges =
        PipelineSettings.builder()
            .confirmSurges(2)
            .idleness(Duration.ofMinutes(1))
            .clipSeconds(30)
            .clipMaxAge(Duration.ofSeconds(20))
            .build();
    ChatScript chat =
        new ChatScript()
            .channel("once", counts(20, 2, 12, 40)) // one surge window: not confirmed
            .channel("held", counts(20, 2, 12, 40, 13, 60)); // two in a row: confirmed

    run(chat, twoSurges);

    assertThat(mongo.all(MongoSinks.HIGHLIGHTS))
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.getString("_id")).isEqualTo("held:" + windowStart(13));
              assertThat(d.getInteger("surges")).isEqualTo(2);
              assertThat(d.getDate("detectedAt")).isEqualTo(new Date(windowStart(14)));
            });
  }

  @Test
  void aMessageTooLateForItsWindowIsCountedAndLoggedNotSilentlyLost() throws Exception {
    List<ChatMessage> chat =
        new ArrayList<>(new ChatScript().channel("alpha", counts(30, 2)).messages());
    // The last message belongs to window 1. Sent at 25 messages/s it comes about 2.4 s after
    // window 1's, when the periodic watermark (every 200 ms) has long passed window 1.
    chat.add(new ChatMessage("alpha", "alpha-id", windowStart(1) + 500));

    JobID job = run(SlowChat.of(chat, 25), PipelineSettings.defaults());

    assertThat(ActivityReader.all(mongo.database()))
        .extracting(ChannelActivity::count)
        .containsOnly(2L)
        .hasSize(30);
    assertThat(METRICS.findMetrics(job, "lateChatMessages").values())
        .singleElement()
        .satisfies(m -> assertThat(((Counter) m).getCount()).isEqualTo(1));
  }

  private static void run(ChatScript chat, PipelineSettings settings) throws Exception {
    run(ListChatSource.of(chat.messages()), settings);
  }

  private static JobID run(Source<ChatMessage, ?, ?> chat, PipelineSettings settings)
      throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    JobEnvironment.singleTask(env);
    HighlightPipeline.build(
        env,
        chat,
        settings,
        OfflineClipCreator.factory(),
        new HighlightPipeline.Sinks(
            List.of(MongoSinks.activity(mongo.uri(), TestMongo.DATABASE)),
            List.of(MongoSinks.highlights(mongo.uri(), TestMongo.DATABASE))));
    return env.execute("pipeline test").getJobID();
  }
}
