package dev.streamhighlights.job;

import static dev.streamhighlights.job.testing.ChatScript.windowStart;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamhighlights.job.model.ChannelActivity;
import dev.streamhighlights.job.mongo.ActivityReader;
import dev.streamhighlights.job.mongo.MongoSinks;
import dev.streamhighlights.job.testing.TestCluster;
import dev.streamhighlights.job.testing.TestMongo;
import dev.streamhighlights.simulator.ChatServer;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Chat that comes late, through the real IRC source and the fake Twitch chat server: a stretch of
 * windows in which most of a channel's chat arrives after its window closed (a job or a Twitch
 * delivery that falls behind), then complete windows again. Dropped, the late chat left a history
 * of small counts, and the first complete window rose from it as a surge: a clip of nothing.
 */
class LateChatPipelineTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @RegisterExtension static final MiniClusterExtension FLINK = TestCluster.create();

  @Test
  void aChannelWhoseChatCameLateIsNoSurgeWhenItComesOnTimeAgain() throws Exception {
    try (ChatServer twitch = ChatServer.start();
        TestMongo mongo = new TestMongo()) {
      JobClient job =
          LiveChatJob.start(
              "late chat test",
              twitch,
              env -> {},
              source -> source,
              new HighlightPipeline.Sinks(
                  List.of(MongoSinks.activity(mongo.uri(), TestMongo.DATABASE)),
                  List.of(MongoSinks.highlights(mongo.uri(), TestMongo.DATABASE))));
      try {
        await(() -> twitch.joinedChannels().containsAll(LiveChatJob.CHANNELS));
        // A full history of steady chat (the variance rule looks at 10 windows).
        for (int w = 0; w < 12; w++) {
          twitch.sendMessages("alpha", windowStart(w) + 1_000, 30);
          twitch.sendMessages("beta", windowStart(w) + 2_000, 3);
        }
        // Twelve windows in which 27 of alpha's 30 messages come after the window closed: beta's
        // chat 3 s into the next window moves event time past the window's end (out-of-orderness
        // 2 s), and the rest of alpha's chat comes once its window is stored.
        for (int w = 12; w < 24; w++) {
          twitch.sendMessages("alpha", windowStart(w) + 1_000, 3);
          twitch.sendMessages("beta", windowStart(w + 1) + 3_000, 3);
          int window = w;
          await(
              () ->
                  ActivityReader.windows(
                              mongo.database(),
                              "alpha",
                              windowStart(window),
                              windowStart(window + 1))
                          .size()
                      == 1);
          twitch.sendMessages("alpha", windowStart(w) + 1_500, 27);
        }
        // On time again.
        for (int w = 24; w < 30; w++) {
          twitch.sendMessages("alpha", windowStart(w) + 1_000, 30);
          if (w > 24) { // beta's chat of window 24 went out above
            twitch.sendMessages("beta", windowStart(w) + 2_000, 3);
          }
        }
        twitch.sendMessages("clock", windowStart(40), 1);
        await(
            () ->
                ActivityReader.windows(mongo.database(), "alpha", windowStart(29), windowStart(30))
                        .size()
                    == 1);
        Thread.sleep(2_000); // the highlight path: detector, CEP, gate, clip budget, clip, store

        assertThat(ActivityReader.windows(mongo.database(), "alpha", 0, windowStart(30)))
            .as("stored: what came on time")
            .extracting(ChannelActivity::count)
            .containsExactly(
                30L, 30L, 30L, 30L, 30L, 30L, 30L, 30L, 30L, 30L, 30L, 30L, 3L, 3L, 3L, 3L, 3L, 3L,
                3L, 3L, 3L, 3L, 3L, 3L, 30L, 30L, 30L, 30L, 30L, 30L);
        assertThat(mongo.all(MongoSinks.HIGHLIGHTS))
            .as("no highlight from the windows after the late chat")
            .isEmpty();
      } finally {
        job.cancel().get();
      }
    }
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + WAIT);
      }
      Thread.sleep(20);
    }
  }
}
