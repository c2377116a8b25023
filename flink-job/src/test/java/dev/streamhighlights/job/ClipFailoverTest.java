package dev.streamhighlights.job;

import static dev.streamhighlights.job.testing.ChatScript.counts;
import static dev.streamhighlights.job.testing.ChatScript.windowStart;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamhighlights.irc.model.ChatMessage;
import dev.streamhighlights.job.model.ChannelActivity;
import dev.streamhighlights.job.model.ClipStatus;
import dev.streamhighlights.job.mongo.MongoClipLedger;
import dev.streamhighlights.job.mongo.MongoSinks;
import dev.streamhighlights.job.testing.ChatScript;
import dev.streamhighlights.job.testing.FailOnce;
import dev.streamhighlights.job.testing.SlowChat;
import dev.streamhighlights.job.testing.TestCluster;
import dev.streamhighlights.job.testing.TestHelix;
import dev.streamhighlights.job.testing.TestMongo;
import dev.streamhighlights.simulator.HelixServer;
import java.time.Duration;
import java.util.List;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fails the job while clip requests to a slow Helix are in flight and lets Flink restore it: every
 * highlight is stored once, each with a final clip status, and no moment is clipped twice (the clip
 * ledger in MongoDB holds the claims across the restore).
 */
class ClipFailoverTest {

  @RegisterExtension static final MiniClusterExtension FLINK = TestCluster.create();

  private static final String KEY = "clip-failover";

  @TempDir java.nio.file.Path dir;

  @Test
  void everyHighlightIsStoredOnceWithAFinalStatusAcrossAFailureMidRequest() throws Exception {
    // Chat of now, so the moments are fresh when their clips are due.
    long shift = (System.currentTimeMillis() / 10_000 + 1) * 10_000 - windowStart(0);
    List<ChatMessage> chat =
        new ChatScript()
                .channel("alpha", counts(40, 3, 12, 60, 30, 70))
                .channel("beta", counts(40, 4, 13, 80))
                .messages()
                .stream()
                .map(m -> new ChatMessage(m.channel(), m.channelId(), m.eventTime() + shift))
                .toList();
    try (HelixServer helix = TestHelix.start();
        TestMongo mongo = new TestMongo()) {
      helix.slowNextCreates(Duration.ofMillis(1500), 2); // the first two requests hang a while

      StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
      JobEnvironment.singleTask(env);
      env.enableCheckpointing(100);
      FailOnce.allowRestarts(env);

      HighlightPipeline.build(
          env,
          SlowChat.of(chat, 300),
          PipelineSettings.defaults(),
          TestHelix.clips(helix, dir),
          new HighlightPipeline.Sinks(
                  List.of(
                      MongoSinks.activity(mongo.uri(), TestMongo.DATABASE),
                      FailOnce.<ChannelActivity>at(
                          KEY, ChannelActivity::id, "beta:" + (windowStart(16) + shift))),
                  List.of(MongoSinks.highlights(mongo.uri(), TestMongo.DATABASE)))
              .withClipLedger(MongoClipLedger.factory(mongo.uri(), TestMongo.DATABASE)));
      env.execute("clip failover test");

      assertThat(FailOnce.fired(KEY)).isTrue();
      List<Document> stored = mongo.all(MongoSinks.HIGHLIGHTS);
      assertThat(stored)
          .extracting(d -> d.getString("_id"))
          .containsExactly(
              "alpha:" + (windowStart(12) + shift),
              "alpha:" + (windowStart(30) + shift),
              "beta:" + (windowStart(13) + shift));
      // A request in flight at the failure was claimed: the restored job does not repeat it, and
      // stores it 'interrupted' unless its outcome was recorded before.
      assertThat(stored)
          .allSatisfy(
              d -> {
                Document clip = d.get("clip", Document.class);
                assertThat(clip.getString("status"))
                    .isIn(ClipStatus.CREATED.wire(), ClipStatus.INTERRUPTED.wire());
                if (clip.getString("status").equals(ClipStatus.CREATED.wire())) {
                  assertThat(clip.getString("url")).startsWith("https://clips.twitch.tv/");
                }
              });
      assertThat(helix.creates()).as("one request per moment, none repeated").hasSize(3);
      assertThat(mongo.all(MongoClipLedger.COLLECTION)).hasSize(3);
    }
  }
}
