package dev.streamhighlights.job;

import static dev.streamhighlights.job.testing.ChatScript.counts;
import static dev.streamhighlights.job.testing.ChatScript.windowStart;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamhighlights.irc.model.ChatMessage;
import dev.streamhighlights.job.clip.OfflineClipCreator;
import dev.streamhighlights.job.model.ChannelActivity;
import dev.streamhighlights.job.model.StoredHighlight;
import dev.streamhighlights.job.mongo.ActivityReader;
import dev.streamhighlights.job.mongo.MongoSinks;
import dev.streamhighlights.job.testing.ChatScript;
import dev.streamhighlights.job.testing.FailOnce;
import dev.streamhighlights.job.testing.SlowChat;
import dev.streamhighlights.job.testing.TestCluster;
import dev.streamhighlights.job.testing.TestMongo;
import java.util.List;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Fails the job after a checkpoint, while highlights are being written, and lets Flink restore it
 * from that checkpoint: the replayed highlights must land in MongoDB once each.
 */
class CheckpointRestoreTest {

  private static final String KEY = "checkpoint-restore";

  @RegisterExtension static final MiniClusterExtension FLINK = TestCluster.create();

  @Test
  void aRestoredJobStoresEveryHighlightOnce() throws Exception {
    ChatScript chat =
        new ChatScript()
            .channel("alpha", counts(60, 2, 12, 40, 30, 45, 48, 50))
            .channel("beta", counts(60, 3, 20, 60, 40, 70));
    List<ChatMessage> messages = chat.messages();
    String secondHighlight = "alpha:" + windowStart(30);

    try (TestMongo mongo = new TestMongo()) {
      StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
      JobEnvironment.singleTask(env);
      env.enableCheckpointing(200);
      FailOnce.allowRestarts(env);

      HighlightPipeline.build(
          env,
          SlowChat.of(messages, 400),
          PipelineSettings.defaults(),
          OfflineClipCreator.factory(),
          new HighlightPipeline.Sinks(
              List.of(MongoSinks.activity(mongo.uri(), TestMongo.DATABASE)),
              List.of(
                  MongoSinks.highlights(mongo.uri(), TestMongo.DATABASE),
                  FailOnce.<StoredHighlight>afterACheckpointAt(
                      KEY, h -> h.highlight().id(), secondHighlight))));
      env.execute("checkpoint restore test");

      assertThat(FailOnce.fired(KEY)).as("the job failed and was restored").isTrue();
      assertThat(FailOnce.seen(KEY, secondHighlight))
          .as("the highlight in flight at the failure was delivered again")
          .isGreaterThanOrEqualTo(2);
      assertThat(mongo.all(MongoSinks.HIGHLIGHTS))
          .extracting(d -> d.getString("_id"))
          .containsExactly(
              "alpha:" + windowStart(12),
              "alpha:" + windowStart(30),
              "alpha:" + windowStart(48),
              "beta:" + windowStart(20),
              "beta:" + windowStart(40));
      List<ChannelActivity> activity = ActivityReader.all(mongo.database());
      assertThat(activity).hasSize(120);
      assertThat(activity.stream().mapToLong(ChannelActivity::count).sum())
          .isEqualTo(messages.size());
    }
  }
}
