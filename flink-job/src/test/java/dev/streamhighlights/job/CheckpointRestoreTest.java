package dev.streamhighlights.job;

import static dev.streamhighlights.job.testing.ChatScript.counts;
import static dev.streamhighlights.job.testing.ChatScript.windowStart;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamhighlights.irc.model.ChatMessage;
import dev.streamhighlights.job.clip.OfflineClipCreator;
import dev.streamhighlights.job.model.StoredHighlight;
import dev.streamhighlights.job.mongo.MongoSinks;
import dev.streamhighlights.job.testing.ChatScript;
import dev.streamhighlights.job.testing.TestMongo;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Fails the job after a checkpoint, while highlights are being written, and lets Flink restore it
 * from that checkpoint: the replayed highlights must land in MongoDB once each.
 */
class CheckpointRestoreTest {

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  /** Highlights the sinks saw, by id, across attempts (the MiniCluster runs in this JVM). */
  static final Map<String, AtomicInteger> DELIVERIES = new ConcurrentHashMap<>();

  static final AtomicBoolean FAILED_ONCE = new AtomicBoolean();

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
      LocalFlink.configure(env);
      env.enableCheckpointing(200);
      Configuration restarts = new Configuration();
      restarts.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
      restarts.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 2);
      restarts.set(
          RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(100));
      env.configure(restarts);

      HighlightPipeline.build(
          env,
          slowly(messages),
          PipelineSettings.defaults(),
          OfflineClipCreator.factory(),
          new HighlightPipeline.Sinks(
              List.of(MongoSinks.activity(mongo.uri(), TestMongo.DATABASE)),
              List.of(
                  MongoSinks.highlights(mongo.uri(), TestMongo.DATABASE),
                  new FailOnceAfterACheckpoint(secondHighlight))));
      env.execute("checkpoint restore test");

      assertThat(FAILED_ONCE).as("the job failed and was restored").isTrue();
      assertThat(DELIVERIES.get(secondHighlight).get())
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
      List<Document> activity = mongo.all(MongoSinks.ACTIVITY);
      assertThat(activity).hasSize(120);
      assertThat(activity.stream().mapToLong(d -> d.getLong("count")).sum())
          .isEqualTo(messages.size());
    }
  }

  /** The chat at 400 messages/s, so the job runs for about two seconds and checkpoints. */
  private static DataGeneratorSource<ChatMessage> slowly(List<ChatMessage> messages) {
    ChatMessage[] all = messages.toArray(new ChatMessage[0]);
    String[] channels = new String[all.length];
    long[] times = new long[all.length];
    for (int i = 0; i < all.length; i++) {
      channels[i] = all[i].channel();
      times[i] = all[i].eventTime();
    }
    GeneratorFunction<Long, ChatMessage> at =
        i ->
            new ChatMessage(
                channels[i.intValue()], channels[i.intValue()] + "-id", times[i.intValue()]);
    return new DataGeneratorSource<>(
        at, all.length, RateLimiterStrategy.perSecond(400), TypeInformation.of(ChatMessage.class));
  }

  /**
   * Counts deliveries and throws once when it sees {@code victim}, but only after a checkpoint (a
   * flush without end of input) happened, so the restore starts from a checkpoint.
   */
  static final class FailOnceAfterACheckpoint implements Sink<StoredHighlight> {
    private final String victim;

    FailOnceAfterACheckpoint(String victim) {
      this.victim = victim;
    }

    @Override
    @SuppressWarnings("deprecation")
    public SinkWriter<StoredHighlight> createWriter(InitContext context) {
      return new SinkWriter<>() {
        private int checkpoints;

        @Override
        public void write(StoredHighlight element, Context ctx) {
          String id = element.highlight().id();
          DELIVERIES.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
          if (id.equals(victim) && checkpoints > 0 && FAILED_ONCE.compareAndSet(false, true)) {
            throw new IllegalStateException("injected failure at " + id);
          }
        }

        @Override
        public void flush(boolean endOfInput) {
          if (!endOfInput) {
            checkpoints++;
          }
        }

        @Override
        public void close() {}
      };
    }
  }
}
