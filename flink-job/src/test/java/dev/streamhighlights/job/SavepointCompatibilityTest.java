package dev.streamhighlights.job;

import static dev.streamhighlights.job.testing.ChatScript.counts;
import static dev.streamhighlights.job.testing.ChatScript.windowStart;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamhighlights.irc.model.ChatMessage;
import dev.streamhighlights.job.clip.OfflineClipCreator;
import dev.streamhighlights.job.model.ChannelActivity;
import dev.streamhighlights.job.mongo.ActivityReader;
import dev.streamhighlights.job.mongo.MongoSinks;
import dev.streamhighlights.job.testing.ChatScript;
import dev.streamhighlights.job.testing.SlowChat;
import dev.streamhighlights.job.testing.TestCluster;
import dev.streamhighlights.job.testing.TestMongo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Upgrades through savepoints: a savepoint of version 1 of the job is committed under
 * src/test/resources/savepoints/v1, and this build must restore it and carry on with the same
 * counts and detector history. A change that breaks the upgrade (a renamed uid, an incompatible
 * state type) fails here. To write a new savepoint for a new version, run this class with {@code
 * -Dsavepoint.write=v2} and commit the directory it prints.
 */
class SavepointCompatibilityTest {

  private static final Path SAVEPOINTS = Path.of("src", "test", "resources", "savepoints");

  @RegisterExtension static final MiniClusterExtension FLINK = TestCluster.create();

  /** The chat both the writer and the restore replay: a surge late, after the savepoint. */
  static List<ChatMessage> chat() {
    return new ChatScript()
        .channel("alpha", counts(40, 10, 33, 90))
        .channel("beta", counts(40, 6))
        .messages();
  }

  @Test
  void restoresTheCommittedVersion1SavepointAndCarriesOn() throws Exception {
    if (System.getProperty("savepoint.write") != null) {
      return; // writing, see writeSavepoint
    }
    Path savepoint = SAVEPOINTS.resolve("v1").toAbsolutePath();
    assertThat(savepoint.resolve("_metadata")).exists();
    try (TestMongo mongo = new TestMongo()) {
      Configuration conf = new Configuration();
      conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint.toString());
      StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
      build(env, mongo, 100_000);
      env.execute("restore from v1");

      // The restored job emits only what came after the savepoint; what it counted before is in
      // its window state and must come out with the right totals.
      Map<String, Long> counts = new HashMap<>();
      for (ChannelActivity a : ActivityReader.all(mongo.database())) {
        counts.put(a.id(), a.count());
      }
      assertThat(counts).isNotEmpty();
      long[] alpha = counts(40, 10, 33, 90);
      counts.forEach(
          (id, n) -> {
            int w =
                (int)
                    ((Long.parseLong(id.substring(id.indexOf(':') + 1)) - windowStart(0)) / 10_000);
            assertThat(n).as(id).isEqualTo(id.startsWith("alpha") ? alpha[w] : 6L);
          });
      assertThat(counts).containsKey("alpha:" + windowStart(39));
      // The surge at window 33 is judged against the history restored from the savepoint.
      assertThat(mongo.all(MongoSinks.HIGHLIGHTS))
          .singleElement()
          .satisfies(
              d -> {
                assertThat(d.getString("_id")).isEqualTo("alpha:" + windowStart(33));
                assertThat(d.getDouble("movingAverage")).isEqualTo(10.0);
              });
    }
  }

  /** Writes a savepoint of this build's job, part way through the chat. */
  @Test
  void writeSavepoint(@InjectClusterClient ClusterClient<?> client) throws Exception {
    String version = System.getProperty("savepoint.write");
    if (version == null) {
      return;
    }
    try (TestMongo mongo = new TestMongo()) {
      StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
      build(env, mongo, 200);
      JobClient job = env.executeAsync("write savepoint");
      Thread.sleep(3_000); // about 600 of the 640 messages: the surge is still to come
      JobID id = job.getJobID();
      Path tmp = Files.createTempDirectory("savepoint");
      String written =
          client
              .stopWithSavepoint(id, false, tmp.toUri().toString(), SavepointFormatType.CANONICAL)
              .get();
      Path target = SAVEPOINTS.resolve(version).toAbsolutePath();
      Files.createDirectories(target);
      try (Stream<Path> files = Files.list(Path.of(java.net.URI.create(written)))) {
        for (Path f : files.toList()) {
          Files.copy(f, target.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
      }
      System.out.println("savepoint of version " + version + " written to " + target);
    }
  }

  private static void build(StreamExecutionEnvironment env, TestMongo mongo, int perSecond) {
    JobEnvironment.singleTask(env);
    HighlightPipeline.build(
        env,
        SlowChat.of(chat(), perSecond),
        PipelineSettings.defaults(),
        OfflineClipCreator.factory(),
        new HighlightPipeline.Sinks(
            List.of(MongoSinks.activity(mongo.uri(), TestMongo.DATABASE)),
            List.of(MongoSinks.highlights(mongo.uri(), TestMongo.DATABASE))));
  }
}
