package dev.streamhighlights.job;

import dev.streamhighlights.irc.model.ChatMessage;
import dev.streamhighlights.irc.source.IrcSource;
import dev.streamhighlights.job.backtest.Backtest;
import dev.streamhighlights.job.backtest.ChatLog;
import dev.streamhighlights.job.clip.ClipCreatorFactory;
import dev.streamhighlights.job.clip.OfflineClipCreator;
import dev.streamhighlights.job.config.Config;
import dev.streamhighlights.job.config.ConfigException;
import dev.streamhighlights.job.config.Option;
import dev.streamhighlights.job.config.Options;
import dev.streamhighlights.job.demo.SyntheticChat;
import dev.streamhighlights.job.model.ChannelActivity;
import dev.streamhighlights.job.model.StoredHighlight;
import dev.streamhighlights.job.mongo.EmbeddedMongo;
import dev.streamhighlights.job.mongo.MongoSinks;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Entry point. {@code demo} and {@code backtest} run on this machine; without a command (as {@code
 * flink run} calls it) the job is built for the cluster it is submitted to.
 */
public final class StreamHighlights {

  private static final String USAGE =
      """
      usage: stream-highlights <command> [--option value ...]
        demo       run the job locally on generated chat, web UI at http://127.0.0.1:8081
        run        watch live Twitch chat locally: --channels a,b,c or --top 40
        backtest   replay a chat log: --chat FILE --out FILE.jsonl [--rule seed|default]
        mongo      run only the embedded MongoDB-compatible server (--mongo-port, --data-dir)
        options    list every option with its default
      Submitted with 'flink run' (no command), the job runs on the cluster; MongoDB by MONGO_URI.""";

  private StreamHighlights() {}

  public static void main(String[] args) throws Exception {
    String command = args.length > 0 && !args[0].startsWith("--") ? args[0] : "job";
    String[] rest = command.equals("job") ? args : Arrays.copyOfRange(args, 1, args.length);
    try {
      switch (command) {
        case "demo" -> demo(Config.parse(rest, System.getenv(), Options.DEMO));
        case "run" -> run(Config.parse(rest, System.getenv(), Options.RUN));
        case "backtest" -> backtest(Config.parse(rest, System.getenv(), Options.BACKTEST));
        case "job" -> clusterJob(Config.parse(rest, System.getenv(), Options.CLUSTER));
        case "mongo" -> mongo(Config.parse(rest, System.getenv(), Options.MONGO));
        case "options" -> System.out.print(optionsTable());
        case "help", "-h", "--help" -> System.out.println(USAGE);
        default -> throw new ConfigException("unknown command '" + command + "'\n" + USAGE);
      }
    } catch (ConfigException e) {
      System.err.println("stream-highlights: " + e.getMessage());
      System.exit(2);
    }
  }

  static void demo(Config config) throws Exception {
    String banner =
        String.format(
            Locale.ROOT,
            "Stream Highlights demo: %d simulated channels, %d messages/s.",
            config.get(Options.DEMO_CHANNELS),
            config.get(Options.DEMO_RATE));
    runLocally(
        config,
        syntheticChat(config),
        OfflineClipCreator.factory(),
        banner,
        "stream-highlights demo");
  }

  static void run(Config config) throws Exception {
    IrcSource source = LiveChat.source(config);
    String banner =
        String.format(
            Locale.ROOT,
            "Stream Highlights: live chat from %s (%s).",
            source.chatSettings().endpoint(),
            config.get(Options.TOP) > 0
                ? "top " + config.get(Options.TOP) + " live streams"
                : config.get(Options.CHANNELS));
    Path dataDir = Path.of(config.get(Options.DATA_DIR)).toAbsolutePath();
    runLocally(
        config,
        source,
        LiveChat.clips(config, dataDir.resolve("twitch-tokens.properties").toString()),
        banner,
        "stream-highlights");
  }

  /** The pipeline on a local Flink with the web UI, into MongoDB (embedded unless a URI is set). */
  private static void runLocally(
      Config config,
      Source<ChatMessage, ?, ?> source,
      ClipCreatorFactory clips,
      String banner,
      String jobName)
      throws Exception {
    PipelineSettings settings = PipelineSettings.from(config);
    Path dataDir = Path.of(config.get(Options.DATA_DIR)).toAbsolutePath();
    int port = config.get(Options.WEB_UI_PORT);
    String uri = config.get(Options.MONGO_URI);
    EmbeddedMongo embedded = uri == null ? EmbeddedMongo.start(dataDir.resolve("mongo")) : null;
    if (embedded != null) {
      uri = embedded.uri();
      Runtime.getRuntime().addShutdownHook(new Thread(embedded::close, "embedded-mongo-stop"));
    }
    String database = config.get(Options.MONGO_DATABASE);
    StreamExecutionEnvironment env =
        LocalFlink.withWebUi(
            port, dataDir.resolve("checkpoints"), config.get(Options.CHECKPOINT_INTERVAL));
    List<Sink<StoredHighlight>> highlightSinks = new ArrayList<>();
    highlightSinks.add(MongoSinks.highlights(uri, database));
    highlightSinks.add(new ConsoleHighlights());
    HighlightPipeline.build(
        env,
        source,
        settings,
        clips,
        new HighlightPipeline.Sinks(List.of(MongoSinks.activity(uri, database)), highlightSinks));
    System.out.printf(
        Locale.ROOT,
        "%s%n"
            + "  Flink web UI:  http://127.0.0.1:%d%n"
            + "  MongoDB:       %s  database '%s', collections '%s' and '%s'%n"
            + "  Data:          %s%n"
            + "Highlights appear below after about two minutes of history. Ctrl-C stops.%n",
        banner,
        port,
        embedded != null ? uri + " (embedded)" : "(from MONGO_URI)",
        database,
        MongoSinks.HIGHLIGHTS,
        MongoSinks.ACTIVITY,
        dataDir);
    env.execute(jobName);
  }

  /** The embedded server on its own, for clusters on this machine and for looking at the data. */
  static void mongo(Config config) throws Exception {
    Path dataDir = Path.of(config.get(Options.DATA_DIR)).toAbsolutePath().resolve("mongo");
    EmbeddedMongo mongo = EmbeddedMongo.start(dataDir, config.get(Options.MONGO_PORT));
    Runtime.getRuntime().addShutdownHook(new Thread(mongo::close, "embedded-mongo-stop"));
    System.out.println("MongoDB-compatible server at " + mongo.uri() + ", data in " + dataDir);
    Thread.currentThread().join();
  }

  static void backtest(Config config) throws Exception {
    Path chat = Path.of(config.require(Options.CHAT_FILE));
    Path out = Path.of(config.require(Options.OUT_FILE));
    PipelineSettings settings = PipelineSettings.from(config);
    ChatLog log = ChatLog.read(chat);
    List<Sink<ChannelActivity>> activitySinks = new ArrayList<>();
    List<Sink<StoredHighlight>> highlightSinks = new ArrayList<>();
    String uri = config.get(Options.MONGO_URI);
    if (uri != null) {
      activitySinks.add(MongoSinks.activity(uri, config.get(Options.MONGO_DATABASE)));
      highlightSinks.add(MongoSinks.highlights(uri, config.get(Options.MONGO_DATABASE)));
    }
    Backtest.Result result =
        Backtest.run(LocalFlink.bounded(), log, settings, activitySinks, highlightSinks);
    Backtest.write(result.highlights(), out);
    System.out.printf(
        Locale.ROOT,
        "backtest: %d messages in %d channels (%.2f h of chat), %d malformed rows skipped%s%n"
            + "backtest: %d highlights (%.2f per hour) with the %s rule -> %s%n",
        result.messages(),
        result.channels(),
        result.chatHours(),
        result.malformedRows(),
        result.malformedRows() > 0
            ? " (first at " + String.join(", ", result.malformedSamples()) + ")"
            : "",
        result.highlights().size(),
        result.highlightsPerHour(),
        settings.rule(),
        out);
  }

  /** The job as a cluster runs it: live chat into MongoDB by URI. */
  static void clusterJob(Config config) throws Exception {
    String uri = config.get(Options.MONGO_URI);
    if (uri == null) {
      throw new ConfigException(
          "--mongo-uri is required on a cluster: set MONGO_URI or use --mongo-uri-file");
    }
    String database = config.get(Options.MONGO_DATABASE);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.enableCheckpointing(config.get(Options.CHECKPOINT_INTERVAL).toMillis());
    env.getConfig().disableGenericTypes();
    HighlightPipeline.build(
        env,
        LiveChat.source(config),
        PipelineSettings.from(config),
        LiveChat.clips(config, config.get(Options.TWITCH_TOKEN_STORE)),
        new HighlightPipeline.Sinks(
            List.of(MongoSinks.activity(uri, database)),
            List.of(MongoSinks.highlights(uri, database))));
    env.execute("stream-highlights");
  }

  private static DataGeneratorSource<ChatMessage> syntheticChat(Config config) {
    int rate = config.get(Options.DEMO_RATE);
    return new DataGeneratorSource<>(
        new SyntheticChat(
            config.get(Options.DEMO_CHANNELS), rate, System.currentTimeMillis(), 20181010L),
        Long.MAX_VALUE,
        RateLimiterStrategy.perSecond(rate),
        TypeInformation.of(ChatMessage.class));
  }

  /** The options as a Markdown table; the README's table is checked against it. */
  static String optionsTable() {
    StringBuilder sb = new StringBuilder("| option | default | accepts | what it does |\n");
    sb.append("|---|---|---|---|\n");
    List<Option<?>> all = new ArrayList<>(Options.DEMO);
    Options.RUN.stream().filter(o -> !all.contains(o)).forEach(all::add);
    Options.BACKTEST.stream().filter(o -> !all.contains(o)).forEach(all::add);
    Options.MONGO.stream().filter(o -> !all.contains(o)).forEach(all::add);
    for (Option<?> o : all) {
      sb.append("| `")
          .append(o.flag())
          .append(o.envVariable() != null ? "` (env `" + o.envVariable() + "`)" : "`")
          .append(" | ")
          .append(o.defaultText())
          .append(" | ")
          .append(o.accepts())
          .append(" | ")
          .append(o.description())
          .append(" |\n");
    }
    return sb.toString();
  }
}
