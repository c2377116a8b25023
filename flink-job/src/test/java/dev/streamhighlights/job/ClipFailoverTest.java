package dev.streamhighlights.job;

import static dev.streamhighlights.job.testing.ChatScript.counts;
import static dev.streamhighlights.job.testing.ChatScript.windowStart;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamhighlights.irc.config.Secrets;
import dev.streamhighlights.irc.model.ChatMessage;
import dev.streamhighlights.job.model.ChannelActivity;
import dev.streamhighlights.job.model.ClipResult;
import dev.streamhighlights.job.mongo.MongoSinks;
import dev.streamhighlights.job.testing.ChatScript;
import dev.streamhighlights.job.testing.TestMongo;
import dev.streamhighlights.job.twitch.HelixSettings;
import dev.streamhighlights.job.twitch.TwitchClips;
import dev.streamhighlights.job.twitch.TwitchCredentials;
import dev.streamhighlights.simulator.HelixServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
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
import org.junit.jupiter.api.io.TempDir;

/**
 * Fails the job while clip requests to a slow Helix are in flight and lets Flink restore it: every
 * highlight is stored once, each with a final clip status; the in-flight requests are made again
 * (the duplicates the README bounds).
 */
class ClipFailoverTest {

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  static final AtomicBoolean FAILED = new AtomicBoolean();

  @TempDir java.nio.file.Path dir;

  @Test
  void everyHighlightIsStoredOnceWithAFinalStatusAcrossAFailureMidRequest() throws Exception {
    List<ChatMessage> chat =
        new ChatScript()
            .channel("alpha", counts(40, 3, 12, 60, 30, 70))
            .channel("beta", counts(40, 4, 13, 80))
            .messages();
    try (HelixServer helix = HelixServer.start("client", "secret", "token-0", "refresh-0");
        TestMongo mongo = new TestMongo()) {
      helix.slowNextCreates(Duration.ofMillis(1500), 2); // the first two requests hang a while

      StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
      LocalFlink.configure(env);
      env.enableCheckpointing(100);
      Configuration restarts = new Configuration();
      restarts.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
      restarts.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 2);
      restarts.set(
          RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(100));
      env.configure(restarts);

      TwitchClips clips =
          new TwitchClips(
              new HelixSettings(
                  helix.helixBaseUrl(),
                  helix.authBaseUrl(),
                  30,
                  Duration.ofSeconds(5),
                  Duration.ofMillis(100),
                  Duration.ofSeconds(20),
                  Duration.ofSeconds(5),
                  Duration.ofMillis(200)),
              Secrets.of(
                  Map.of(
                      TwitchCredentials.CLIENT_ID, "client",
                      TwitchCredentials.CLIENT_SECRET, "secret",
                      TwitchCredentials.USER_TOKEN, "token-0",
                      TwitchCredentials.REFRESH_TOKEN, "refresh-0")),
              null,
              dir.resolve("tokens.properties").toString());
      HighlightPipeline.build(
          env,
          slowly(chat),
          PipelineSettings.defaults(),
          clips,
          new HighlightPipeline.Sinks(
              List.of(
                  MongoSinks.activity(mongo.uri(), TestMongo.DATABASE),
                  new FailOnce("beta:" + windowStart(16))),
              List.of(MongoSinks.highlights(mongo.uri(), TestMongo.DATABASE))));
      env.execute("clip failover test");

      assertThat(FAILED).isTrue();
      List<Document> stored = mongo.all(MongoSinks.HIGHLIGHTS);
      assertThat(stored)
          .extracting(d -> d.getString("_id"))
          .containsExactly(
              "alpha:" + windowStart(12), "alpha:" + windowStart(30), "beta:" + windowStart(13));
      assertThat(stored)
          .allSatisfy(
              d -> {
                Document clip = d.get("clip", Document.class);
                assertThat(clip.getString("status")).isEqualTo(ClipResult.CREATED);
                assertThat(clip.getString("url")).startsWith("https://clips.twitch.tv/");
              });
      assertThat(helix.creates().size())
          .as("at most the requests in flight at the failure are made twice")
          .isBetween(3, 5);
    }
  }

  /** The chat at 300 messages/s, so the failure lands while the slow clip requests wait. */
  private static DataGeneratorSource<ChatMessage> slowly(List<ChatMessage> messages) {
    String[] channels = messages.stream().map(ChatMessage::channel).toArray(String[]::new);
    long[] times = messages.stream().mapToLong(ChatMessage::eventTime).toArray();
    GeneratorFunction<Long, ChatMessage> at =
        i ->
            new ChatMessage(
                channels[i.intValue()], channels[i.intValue()] + "-id", times[i.intValue()]);
    return new DataGeneratorSource<>(
        at,
        channels.length,
        RateLimiterStrategy.perSecond(300),
        TypeInformation.of(ChatMessage.class));
  }

  /** Fails the job the first time it sees the activity with the given id. */
  static final class FailOnce implements Sink<ChannelActivity> {
    private final String id;

    FailOnce(String id) {
      this.id = id;
    }

    @Override
    @SuppressWarnings("deprecation")
    public SinkWriter<ChannelActivity> createWriter(InitContext context) {
      return new SinkWriter<>() {
        @Override
        public void write(ChannelActivity element, Context ctx) {
          if (element.id().equals(id) && FAILED.compareAndSet(false, true)) {
            throw new IllegalStateException("injected failure at " + id);
          }
        }

        @Override
        public void flush(boolean endOfInput) {}

        @Override
        public void close() {}
      };
    }
  }
}
