package dev.streamhighlights.local;

import static dev.streamhighlights.job.config.JobOptions.*;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.streamhighlights.job.ChatInput;
import dev.streamhighlights.job.HighlightPipeline;
import dev.streamhighlights.job.JobOutputs;
import dev.streamhighlights.job.PipelineSettings;
import dev.streamhighlights.job.clip.ClipCreatorFactory;
import dev.streamhighlights.job.config.Settings;
import dev.streamhighlights.job.mongo.MongoIndexes;
import dev.streamhighlights.job.mongo.MongoPreflight;
import dev.streamhighlights.job.mongo.MongoSinks;
import dev.streamhighlights.local.web.HighlightsWeb;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** The job on a local Flink with the web UI, into MongoDB (embedded unless a URI is set). */
final class LocalRun {

  /** How often a local run prints its progress line. */
  private static final long PROGRESS_EVERY_MILLIS = 10_000;

  /** A line for the terminal every few seconds while a local run goes on. */
  interface Progress {
    String line(long highlightsStored);
  }

  private LocalRun() {}

  /** The {@code run} command: live Twitch chat (or the Kafka chat topic) on this machine. */
  static void run(ReadableConfig options) throws Exception {
    ChatInput input = ChatInput.from(options);
    String banner =
        input.uid().equals(HighlightPipeline.UID_KAFKA_SOURCE)
            ? String.format(
                Locale.ROOT,
                "Stream Highlights: chat from Kafka topic '%s' at %s.",
                options.get(KAFKA_CHAT_TOPIC),
                options.get(KAFKA_BOOTSTRAP_SERVERS))
            : String.format(
                Locale.ROOT,
                "Stream Highlights: live chat from %s (%s).",
                options.get(IRC_URI),
                channelsWatched(options));
    Path dataDir = Path.of(options.get(DATA_DIR)).toAbsolutePath();
    runLocally(
        options,
        input,
        Settings.clips(options, dataDir.resolve("twitch-tokens.properties").toString()),
        banner,
        "run",
        null);
  }

  private static String channelsWatched(ReadableConfig options) {
    String top = options.get(TOP);
    if (top != null) {
      return top.strip().equalsIgnoreCase(ALL_STREAMS)
          ? "every live stream"
          : "top " + top.strip() + " live streams";
    }
    return options.get(CHANNELS) != null
        ? options.get(CHANNELS)
        : "channels in " + options.get(CHANNELS_FILE);
  }

  /** The pipeline until Ctrl-C or {@code --duration}, with a banner and progress lines. */
  static void runLocally(
      ReadableConfig options,
      ChatInput input,
      ClipCreatorFactory clips,
      String banner,
      String command,
      Progress progress)
      throws Exception {
    PipelineSettings settings = Settings.pipeline(options);
    Path dataDir = Path.of(options.get(DATA_DIR)).toAbsolutePath();
    int port = options.get(WEB_UI_PORT);
    String uri = options.get(MONGO_URI);
    String database = options.get(MONGO_DATABASE);
    EmbeddedMongo embedded = uri == null ? EmbeddedMongo.start(dataDir.resolve("mongo")) : null;
    if (embedded != null) {
      uri = embedded.uri();
      Runtime.getRuntime().addShutdownHook(new Thread(embedded::close, "embedded-mongo-stop"));
      try (MongoClient mongo = MongoClients.create(uri)) {
        MongoIndexes.create(mongo.getDatabase(database));
      }
    } else {
      MongoPreflight.check(uri, database);
    }
    StreamExecutionEnvironment env =
        LocalFlink.withWebUi(
            port,
            // One checkpoint directory per command: a demo's state must not restore into a run.
            dataDir.resolve("checkpoints").resolve(command),
            options.get(CHECKPOINT_INTERVAL));
    HighlightPipeline.Sinks sinks =
        JobOutputs.of(options, command, uri, database, List.of(new ConsoleHighlights()));
    HighlightPipeline.build(env, input.source(), input.uid(), settings, clips, sinks);
    HighlightsWeb page = Servers.startPage(options, uri);
    System.out.printf(
        Locale.ROOT,
        "%s%n"
            + "  Flink web UI:  http://127.0.0.1:%d%n"
            + "  Highlights:    %s%n"
            + "  MongoDB:       %s  database '%s', collections '%s' and '%s'%n"
            + "%s"
            + "  Data:          %s%n"
            + "Highlights appear below after about two minutes of history. Ctrl-C stops.%n",
        banner,
        port,
        page.url(),
        embedded != null ? uri + " (embedded)" : "(from MONGO_URI)",
        database,
        MongoSinks.HIGHLIGHTS,
        MongoSinks.ACTIVITY_HOURLY,
        kafkaLine(options, sinks),
        dataDir);
    JobClient job = env.executeAsync("stream-highlights " + command);
    long until =
        options.get(DURATION).isZero()
            ? Long.MAX_VALUE
            : System.nanoTime() + options.get(DURATION).toNanos();
    try (MongoClient mongo = MongoClients.create(uri);
        HighlightsWeb closePage = page;
        AutoCloseable closeEmbedded =
            () -> {
              if (embedded != null) {
                embedded.close();
              }
            }) {
      long nextProgress = System.nanoTime() + PROGRESS_EVERY_MILLIS * 1_000_000;
      while (!job.getJobStatus().get().isGloballyTerminalState() && System.nanoTime() < until) {
        Thread.sleep(200);
        if (progress != null && System.nanoTime() >= nextProgress) {
          long stored =
              mongo.getDatabase(database).getCollection(MongoSinks.HIGHLIGHTS).countDocuments();
          System.out.println(progress.line(stored));
          nextProgress += PROGRESS_EVERY_MILLIS * 1_000_000;
        }
      }
      if (!job.getJobStatus().get().isGloballyTerminalState()) {
        System.out.println("Stopping after " + options.get(DURATION).toSeconds() + " s.");
        job.cancel().get();
      } else {
        job.getJobExecutionResult().get();
      }
    }
  }

  private static String kafkaLine(ReadableConfig options, HighlightPipeline.Sinks sinks) {
    if (sinks.highlightTopic() == null) {
      return "";
    }
    return String.format(
        Locale.ROOT,
        "  Kafka:         %s  highlights to '%s' (exactly once)%s%n",
        options.get(KAFKA_BOOTSTRAP_SERVERS),
        options.get(KAFKA_HIGHLIGHTS_TOPIC),
        sinks.chatTopic() != null ? ", chat to '" + options.get(KAFKA_CHAT_TOPIC) + "'" : "");
  }
}
