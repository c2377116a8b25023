package dev.streamhighlights.job;

import static dev.streamhighlights.job.testing.ChatScript.counts;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamhighlights.job.backtest.ListChatSource;
import dev.streamhighlights.job.model.ClipStatus;
import dev.streamhighlights.job.mongo.MongoSinks;
import dev.streamhighlights.job.testing.ChatScript;
import dev.streamhighlights.job.testing.TestCluster;
import dev.streamhighlights.job.testing.TestHelix;
import dev.streamhighlights.job.testing.TestMongo;
import dev.streamhighlights.simulator.HelixServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The clip stage at parallelism 2 on one task manager, with a user token that Twitch stops
 * accepting mid-run: both subtasks share one refresh of the single-use refresh token, and every
 * highlight gets its clip.
 */
class ClipTokenParallelismTest {

  private static final int PARALLELISM = TestCluster.SLOTS;

  @RegisterExtension static final MiniClusterExtension FLINK = TestCluster.withoutRestarts();

  @TempDir Path dir;

  @Test
  void subtasksShareOneRefreshWhenTheTokenExpiresMidRun() throws Exception {
    // Two channels per subtask, two highlights per channel (windows 12 and 30): each subtask asks
    // for clips after the token expired, whichever clip comes first.
    List<String> channels = channelsPerSubtask(2);
    ChatScript chat = new ChatScript();
    for (String channel : channels) {
      chat.channel(channel, counts(40, 3, 12, 60, 30, 70));
    }
    try (HelixServer helix = TestHelix.start();
        TestMongo mongo = new TestMongo()) {
      helix.expireUserTokenAfterClips(1);

      StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
      JobEnvironment.singleTask(env);
      env.setParallelism(PARALLELISM);
      HighlightPipeline.build(
          env,
          // Chat of now: clips of older moments are never requested.
          ListChatSource.of(chat.messagesStartingAt(ChatScript.freshStart())),
          PipelineSettings.defaults(),
          TestHelix.clips(helix, dir),
          new HighlightPipeline.Sinks(
              List.of(), List.of(MongoSinks.highlights(mongo.uri(), TestMongo.DATABASE))));
      env.execute("clip tokens at parallelism 2");

      List<Document> stored = mongo.all(MongoSinks.HIGHLIGHTS);
      assertThat(stored).hasSize(2 * channels.size());
      assertThat(stored)
          .extracting(d -> d.get("clip", Document.class).getString("status"))
          .containsOnly(ClipStatus.CREATED.wire());
      assertThat(helix.currentUserToken()).as("the token expired mid-run").isNotEqualTo("token-0");
      assertThat(helix.refreshRequests()).as("one refresh for both subtasks").isEqualTo(1);
    }
  }

  /** Channel names whose highlights land on each subtask of the clip stage, n per subtask. */
  private static List<String> channelsPerSubtask(int n) {
    int maxParallelism = KeyGroupRangeAssignment.computeDefaultMaxParallelism(PARALLELISM);
    List<List<String>> bySubtask = new ArrayList<>();
    for (int i = 0; i < PARALLELISM; i++) {
      bySubtask.add(new ArrayList<>());
    }
    for (int i = 0; bySubtask.stream().anyMatch(l -> l.size() < n); i++) {
      String channel = "channel" + i;
      List<String> mine =
          bySubtask.get(
              KeyGroupRangeAssignment.assignKeyToParallelOperator(
                  channel, maxParallelism, PARALLELISM));
      if (mine.size() < n) {
        mine.add(channel);
      }
    }
    return bySubtask.stream().flatMap(List::stream).toList();
  }
}
