package dev.streamhighlights.job.backtest;

import static dev.streamhighlights.job.testing.ChatScript.counts;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamhighlights.irc.model.ChatMessage;
import dev.streamhighlights.job.HighlightPipeline;
import dev.streamhighlights.job.PipelineSettings;
import dev.streamhighlights.job.model.ClipResult;
import dev.streamhighlights.job.model.ClipStatus;
import dev.streamhighlights.job.model.Highlight;
import dev.streamhighlights.job.model.StoredHighlight;
import dev.streamhighlights.job.mongo.MongoSinks;
import dev.streamhighlights.job.testing.ChatScript;
import dev.streamhighlights.job.testing.GeneratedChatLog;
import dev.streamhighlights.job.testing.SampleHighlights;
import dev.streamhighlights.job.testing.TestCluster;
import dev.streamhighlights.job.testing.TestMongo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class BacktestTest {

  @RegisterExtension static final MiniClusterExtension FLINK = TestCluster.create();

  @TempDir Path dir;

  @Test
  void theSameLogGivesTheSameFileWhateverTheRowOrder() throws Exception {
    List<ChatMessage> messages =
        new ChatScript()
            .channel("alpha", counts(40, 2, 12, 40, 30, 50))
            .channel("beta", counts(40, 5, 25, 60))
            .messages();
    Path sorted = csv("sorted.csv", messages, List.of());
    List<ChatMessage> shuffled = new ArrayList<>(messages);
    Collections.shuffle(shuffled, new Random(1));
    Path unsorted = csv("shuffled.csv", shuffled, List.of("alpha,x", "broken", ",5"));

    Path out1 = dir.resolve("1.jsonl");
    Path out2 = dir.resolve("2.jsonl");
    Backtest.Result r1 = backtest(sorted, out1, List.of());
    Backtest.Result r2 = backtest(unsorted, out2, List.of());

    assertThat(Files.readAllBytes(out2)).isEqualTo(Files.readAllBytes(out1));
    assertThat(r2.malformedRows()).isEqualTo(3);
    assertThat(r1.malformedRows()).isZero();
    List<String> lines = Files.readAllLines(out1);
    assertThat(lines).hasSize(3);
    JsonNode first = new ObjectMapper().readTree(lines.get(0));
    assertThat(first.get("channel").asText()).isEqualTo("alpha");
    assertThat(first.get("detectedAt").asLong()).isEqualTo(ChatScript.windowStart(13));
    assertThat(first.get("windowStart").asLong()).isEqualTo(ChatScript.windowStart(12));
    assertThat(first.get("windowEnd").asLong()).isEqualTo(ChatScript.windowStart(13));
    assertThat(first.get("count").asLong()).isEqualTo(40);
    assertThat(first.get("movingAverage").asDouble()).isEqualTo(2.0);
    assertThat(first.get("derivative").asDouble()).isEqualTo(38.0);
    assertThat(first.get("clipSeconds").asInt()).isEqualTo(60);
  }

  @Test
  void countingTheLogAsItIsReadFindsWhatTheMessageByMessagePipelineFinds() throws Exception {
    Path file = GeneratedChatLog.write(dir.resolve("generated.csv"));
    // And a channel that streams for 40 minutes every three hours, with a burst now and then: its
    // detector state, gate and clip budget are forgotten between streams, which the counting replay
    // reaches in far larger steps of event time.
    Random random = new Random(11);
    List<String> sessions = new ArrayList<>();
    for (int stream = 0; stream < 4; stream++) {
      long start = ChatScript.T0 + stream * 3 * 3_600_000L;
      for (int window = 0; window < 240; window++) {
        int n = 3 + random.nextInt(5) + (window > 40 && random.nextInt(25) == 0 ? 60 : 0);
        for (int i = 0; i < n; i++) {
          sessions.add("streams," + (start + window * 10_000L + random.nextInt(10_000)));
        }
      }
    }
    // And one that chats all the while, a burst every 100 minutes: event time moves through the
    // other's gaps, and the steady channel's budget is forgotten between its bursts.
    for (int window = 0; window < 4 * 3 * 360; window++) {
      int n = 2 + random.nextInt(4) + (window % 600 == 300 ? 80 : 0);
      for (int i = 0; i < n; i++) {
        sessions.add("steady," + (ChatScript.T0 + window * 10_000L + random.nextInt(10_000)));
      }
    }
    Files.write(file, sessions, java.nio.file.StandardOpenOption.APPEND);
    ChatLog log = ChatLog.read(file);
    // Event time in one step at the end of the counts, and in steps of a millisecond of the
    // messages' processing: what the operators decide must not depend on it.
    StreamExecutionEnvironment oneStep = env();
    oneStep.getConfig().setAutoWatermarkInterval(0);
    StreamExecutionEnvironment smallSteps = env();
    smallSteps.getConfig().setAutoWatermarkInterval(1);
    Backtest.Result counted =
        Backtest.run(oneStep, log, PipelineSettings.defaults(), List.of(), List.of());
    Backtest.Result messages =
        Backtest.run(
            smallSteps,
            ListChatSource.of(log.chat()),
            HighlightPipeline.UID_SOURCE,
            PipelineSettings.defaults(),
            List.of(),
            List.of());

    assertThat(counted.highlights()).hasSizeGreaterThan(3).isEqualTo(messages.highlights());
    assertThat(counted.messages()).isEqualTo(messages.messages()).isEqualTo(log.chat().size());
    assertThat(counted.channels()).isEqualTo(messages.channels()).isEqualTo(7);
    assertThat(counted.highlights())
        .as("the returning channel's highlights")
        .filteredOn(h -> h.highlight().channel().equals("streams"))
        .hasSizeGreaterThan(3);
    assertThat(counted.malformedRows()).isEqualTo(1);
  }

  @Test
  void aHighlightIsOneLineWithItsClipStatusAndDecimalsRoundedToThreePlaces() throws Exception {
    Highlight h = SampleHighlights.alpha();
    Path out = dir.resolve("one.jsonl");
    Backtest.write(
        List.of(
            new StoredHighlight(
                h, new ClipResult(ClipStatus.CREATED, "AbcDef", "url", "edit", null)),
            new StoredHighlight(h, ClipResult.withoutClip(ClipStatus.OFFLINE, null))),
        out);
    String line =
        "{\"id\":\"alpha:1700000120000\",\"channel\":\"alpha\",\"channelId\":\"123\","
            + "\"detectedAt\":1700000130000,\"windowStart\":1700000120000,"
            + "\"windowEnd\":1700000130000,\"count\":40,\"movingAverage\":2.0,"
            + "\"derivative\":1.235,\"score\":26.87,\"surges\":1,\"clipSeconds\":60,"
            + "\"rule\":\"default\",\"clipStatus\":";
    assertThat(Files.readString(out))
        .isEqualTo(
            line
                + "\"created\"}"
                + System.lineSeparator()
                + line
                + "\"offline\"}"
                + System.lineSeparator());
  }

  @Test
  void withAMongoUriItAlsoStoresTheHighlights() throws Exception {
    Path log =
        csv(
            "log.csv",
            new ChatScript().channel("alpha", counts(20, 2, 12, 40)).messages(),
            List.of());
    try (TestMongo mongo = new TestMongo()) {
      Backtest.Result r =
          backtest(
              log,
              dir.resolve("out.jsonl"),
              List.of(MongoSinks.highlights(mongo.uri(), TestMongo.DATABASE)));
      assertThat(r.highlights()).hasSize(1);
      assertThat(mongo.all(MongoSinks.HIGHLIGHTS))
          .extracting(d -> d.getString("_id"))
          .containsExactly(r.highlights().get(0).highlight().id());
    }
  }

  private Backtest.Result backtest(
      Path log,
      Path out,
      List<
              org.apache.flink.api.connector.sink2.Sink<
                  dev.streamhighlights.job.model.StoredHighlight>>
          sinks)
      throws Exception {
    Backtest.Result r =
        Backtest.run(env(), ChatLog.read(log), PipelineSettings.defaults(), List.of(), sinks);
    Backtest.write(r.highlights(), out);
    return r;
  }

  private static StreamExecutionEnvironment env() {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    return env;
  }

  private Path csv(String name, List<ChatMessage> messages, List<String> junk) throws Exception {
    List<String> lines = new ArrayList<>();
    lines.add("channel,epoch_millis");
    for (ChatMessage m : messages) {
      lines.add(m.channel() + "," + m.eventTime());
    }
    for (int i = 0; i < junk.size(); i++) {
      lines.add(1 + i * 7, junk.get(i));
    }
    Path f = dir.resolve(name);
    Files.write(f, lines);
    return f;
  }
}
