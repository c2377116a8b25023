package dev.streamhighlights.local;

import static dev.streamhighlights.job.testing.ChatScript.counts;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.streamhighlights.irc.model.ChatMessage;
import dev.streamhighlights.job.config.CommandLine;
import dev.streamhighlights.job.model.ClipStatus;
import dev.streamhighlights.job.mongo.MongoSinks;
import dev.streamhighlights.job.testing.ChatScript;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command, bounded: the demo replays a chat log through the simulated Twitch
 * twenty times faster than recorded, and the highlights it finds are clipped and stored.
 */
class DemoTest {

  @TempDir Path dir;

  @Test
  void theDemoClipsAndStoresTheHighlightsOfTheChatItReplays() throws Exception {
    Path log = dir.resolve("chat.csv");
    List<String> lines = new ArrayList<>(List.of("channel,epoch_millis"));
    for (ChatMessage m :
        new ChatScript()
            .channel("alpha", counts(30, 4, 14, 80, 24, 90))
            .channel("beta", counts(30, 6, 18, 120))
            .messages()) {
      lines.add(m.channel() + "," + m.eventTime());
    }
    Files.write(log, lines);
    Path data = dir.resolve("data");

    PrintStream stdout = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    try {
      Demo.run(
          CommandLine.parse(
              new String[] {
                "--replay", log.toString(),
                "--replay-speed", "20",
                "--duration", "30s",
                "--data-dir", data.toString(),
                "--web-ui-port", String.valueOf(freePort()),
                "--web-port", "0",
                "--idleness", "1s",
                "--clip-confirm-within", "5s",
                "--clip-poll-interval", "200ms"
              },
              Map.of(),
              LocalOptions.DEMO));
    } finally {
      System.setOut(stdout);
    }
    String terminal = printed.toString(StandardCharsets.UTF_8);
    System.out.print(terminal);

    try (EmbeddedMongo mongo = EmbeddedMongo.start(data.resolve("mongo"));
        MongoClient client = MongoClients.create(mongo.uri())) {
      List<Document> highlights =
          client
              .getDatabase("stream_highlights")
              .getCollection(MongoSinks.HIGHLIGHTS)
              .find()
              .sort(new Document("_id", 1))
              .into(new ArrayList<>());
      assertThat(highlights)
          .extracting(d -> d.getString("channel"))
          .containsExactly("alpha", "alpha", "beta");
      // Clipped, or left without a clip by the channel's clip budget (with the reason).
      assertThat(highlights)
          .allSatisfy(
              d -> {
                Document clip = d.get("clip", Document.class);
                if (ClipStatus.OVER_BUDGET.wire().equals(clip.getString("status"))) {
                  assertThat(clip.getString("url")).isNull();
                  assertThat(clip.getString("error")).contains("top");
                } else {
                  assertThat(clip.getString("status")).isEqualTo(ClipStatus.CREATED.wire());
                  assertThat(clip.getString("url")).startsWith("https://clips.twitch.tv/");
                }
              });
      assertThat(highlights)
          .anySatisfy(
              d ->
                  assertThat(d.get("clip", Document.class).getString("status"))
                      .isEqualTo(ClipStatus.CREATED.wire()));
    }
    assertThat(terminal)
        .contains("Flink web UI:  http://127.0.0.1:")
        .contains("clip: https://clips.twitch.tv/")
        .contains("channels joined");
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
