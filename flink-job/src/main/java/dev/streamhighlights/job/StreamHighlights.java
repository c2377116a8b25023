package dev.streamhighlights.job;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.streamhighlights.irc.config.Secrets;
import dev.streamhighlights.irc.model.ChatMessage;
import dev.streamhighlights.irc.source.IrcSource;
import dev.streamhighlights.irc.source.IrcSourceBuilder;
import dev.streamhighlights.job.backtest.Backtest;
import dev.streamhighlights.job.backtest.ChatLog;
import dev.streamhighlights.job.backtest.ListChatSource;
import dev.streamhighlights.job.clip.ClipCreatorFactory;
import dev.streamhighlights.job.config.Config;
import dev.streamhighlights.job.config.ConfigException;
import dev.streamhighlights.job.config.Option;
import dev.streamhighlights.job.config.Options;
import dev.streamhighlights.job.kafka.ChatKafka;
import dev.streamhighlights.job.kafka.HighlightKafka;
import dev.streamhighlights.job.kafka.KafkaSettings;
import dev.streamhighlights.job.model.ChannelActivity;
import dev.streamhighlights.job.model.StoredHighlight;
import dev.streamhighlights.job.mongo.EmbeddedMongo;
import dev.streamhighlights.job.mongo.MongoClipLedger;
import dev.streamhighlights.job.mongo.MongoSinks;
import dev.streamhighlights.job.twitch.TwitchCredentials;
import dev.streamhighlights.simulator.TwitchSimulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Entry point. {@code demo} and {@code backtest} run on this machine; without a command (as {@code
 * flink run} calls it) the job is built for the cluster it is submitted to.
 */
public final class StreamHighlights {

  private static final String USAGE =
      """
      usage: stream-highlights <command> [--option value ...]
        demo       the job on a simulated Twitch on this machine, web UI at http://127.0.0.1:8081
        run        watch live Twitch chat locally: --channels a,b,c or --top 40
        backtest   replay a chat log: --chat FILE --out FILE.jsonl [--rule seed|default]
                   or the Kafka chat topic: --source kafka --out FILE.jsonl
        ingest     live chat into the Kafka chat topic only (a job several detection jobs share)
        publish-chat  a chat log (--chat FILE) into the Kafka chat topic
        mongo      run only the embedded MongoDB-compatible server (--mongo-port, --data-dir)
        simulate   run only the simulated Twitch (chat and Helix), for a job on a cluster
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
        case "ingest" -> ingest(Config.parse(rest, System.getenv(), Options.INGEST));
        case "publish-chat" -> publishChat(Config.parse(rest, System.getenv(), Options.PUBLISH));
        case "mongo" -> mongo(Config.parse(rest, System.getenv(), Options.MONGO));
        case "simulate" -> simulate(Config.parse(rest, System.getenv(), Options.SIMULATE));
        case "options" -> System.out.print(optionsTable());
        case "help", "-h", "--help" -> System.out.println(USAGE);
        default -> throw new ConfigException("unknown command '" + command + "'\n" + USAGE);
      }
    } catch (ConfigException e) {
      System.err.println("stream-highlights: " + e.getMessage());
      System.exit(2);
    }
  }

  /**
   * The demo: the real job (IRC source, Helix clips, MongoDB) against a Twitch simulated on this
   * machine. The job gets the simulator's endpoints and credentials exactly as it would get real
   * ones.
   */
  static void demo(Config config) throws Exception {
    String replay = config.get(Options.REPLAY);
    TwitchSimulator twitch = startSimulator(config);
    IrcSource source =
        IrcSource.builder()
            .topStreams(twitch.channels().size(), Duration.ofMinutes(1))
            // A replay faster than real time stamps chat ahead of the clock on purpose.
            .eventTimeLag(
                replay != null && config.get(Options.REPLAY_SPEED) != 1.0
                    ? null
                    : config.get(Options.OUT_OF_ORDERNESS))
            .endpoint(twitch.ircUri())
            .helix(twitch.helixBaseUrl(), twitch.authBaseUrl())
            .secrets(
                Secrets.of(
                    Map.of(
                        IrcSourceBuilder.CLIENT_ID_ENV, TwitchSimulator.CLIENT_ID,
                        IrcSourceBuilder.CLIENT_SECRET_ENV, TwitchSimulator.CLIENT_SECRET)))
            .build();
    ClipCreatorFactory clips =
        LiveChat.clips(
            config,
            twitch.helixBaseUrl(),
            twitch.authBaseUrl(),
            Secrets.of(
                Map.of(
                    TwitchCredentials.CLIENT_ID, TwitchSimulator.CLIENT_ID,
                    TwitchCredentials.CLIENT_SECRET, TwitchSimulator.CLIENT_SECRET,
                    TwitchCredentials.USER_TOKEN, TwitchSimulator.USER_TOKEN,
                    TwitchCredentials.REFRESH_TOKEN, TwitchSimulator.REFRESH_TOKEN)),
            null,
            null);
    String banner =
        String.format(
            Locale.ROOT,
            "Stream Highlights demo: %d channels on a simulated Twitch (%s), chat at %s.",
            twitch.channels().size(),
            replay == null
                ? "generated chat, about " + config.get(Options.DEMO_RATE) + " messages/s"
                : "replaying " + replay + " at " + config.get(Options.REPLAY_SPEED) + "x",
            twitch.ircUri());
    Progress progress =
        new Progress() {
          long lastSent;
          long lastAt = System.nanoTime();

          @Override
          public String line(long highlights) {
            long sent = twitch.messagesSent();
            long now = System.nanoTime();
            double rate = (sent - lastSent) / ((now - lastAt) / 1e9);
            lastSent = sent;
            lastAt = now;
            return String.format(
                Locale.ROOT,
                "progress   %d/%d channels joined, %.0f messages/s, %d highlights stored, %d clips"
                    + " created",
                twitch.channelsJoined(),
                twitch.channels().size(),
                rate,
                highlights,
                twitch.clipsCreated());
          }
        };
    try {
      runLocally(
          config,
          new ChatInput(source, HighlightPipeline.UID_SOURCE),
          clips,
          banner,
          "demo",
          progress);
    } finally {
      twitch.close();
    }
  }

  /** The simulated Twitch the options ask for, stopped with the JVM. */
  private static TwitchSimulator startSimulator(Config config) {
    String replay = config.get(Options.REPLAY);
    TwitchSimulator twitch =
        replay == null
            ? TwitchSimulator.generated(
                config.get(Options.DEMO_CHANNELS), config.get(Options.DEMO_RATE), 20181010L)
            : replayOrExplain(Path.of(replay), config.get(Options.REPLAY_SPEED));
    Runtime.getRuntime().addShutdownHook(new Thread(twitch::close, "twitch-simulator-stop"));
    return twitch;
  }

  private static TwitchSimulator replayOrExplain(Path log, double speed) {
    try {
      return TwitchSimulator.replay(log, speed);
    } catch (java.io.IOException e) {
      throw new ConfigException("--replay " + log + " cannot be read: " + e.getMessage());
    }
  }

  static void run(Config config) throws Exception {
    ChatInput input = chatInput(config);
    String banner =
        input.uid().equals(HighlightPipeline.UID_KAFKA_SOURCE)
            ? String.format(
                Locale.ROOT,
                "Stream Highlights: chat from Kafka topic '%s' at %s.",
                config.get(Options.KAFKA_CHAT_TOPIC),
                config.get(Options.KAFKA_BOOTSTRAP_SERVERS))
            : String.format(
                Locale.ROOT,
                "Stream Highlights: live chat from %s (%s).",
                config.get(Options.IRC_URI),
                config.get(Options.TOP) > 0
                    ? "top " + config.get(Options.TOP) + " live streams"
                    : config.get(Options.CHANNELS));
    Path dataDir = Path.of(config.get(Options.DATA_DIR)).toAbsolutePath();
    runLocally(
        config,
        input,
        LiveChat.clips(config, dataDir.resolve("twitch-tokens.properties").toString()),
        banner,
        "run",
        null);
  }

  /** A chat source and the uid its state lives under. */
  record ChatInput(Source<ChatMessage, ?, ?> source, String uid) {}

  /** Live IRC chat, or the Kafka chat topic with {@code --source kafka}. */
  static ChatInput chatInput(Config config) {
    if (config.get(Options.SOURCE).equals("kafka")) {
      if (config.get(Options.PUBLISH_CHAT).equals("true")) {
        throw new ConfigException(
            "--publish-chat true needs --source irc: the job would write the topic it reads");
      }
      KafkaSettings kafka = KafkaSettings.require(config, "--source kafka");
      return new ChatInput(
          ChatKafka.source(
              kafka,
              KafkaSettings.Position.parse("--kafka-start", config.get(Options.KAFKA_START)),
              null),
          HighlightPipeline.UID_KAFKA_SOURCE);
    }
    return new ChatInput(LiveChat.source(config), HighlightPipeline.UID_SOURCE);
  }

  /** The Kafka topics the options ask for, added to {@code sinks}. */
  static HighlightPipeline.Sinks withKafka(
      Config config, String command, HighlightPipeline.Sinks sinks) {
    KafkaSettings kafka = KafkaSettings.from(config, command);
    boolean publishChat = config.get(Options.PUBLISH_CHAT).equals("true");
    if (kafka == null) {
      if (publishChat) {
        KafkaSettings.require(config, "--publish-chat true");
      }
      return sinks;
    }
    HighlightPipeline.Sinks with = sinks.withHighlightTopic(HighlightKafka.sink(kafka));
    return publishChat ? with.withChatTopic(ChatKafka.sink(kafka)) : with;
  }

  /** A line for the terminal every few seconds while a local run goes on. */
  interface Progress {
    String line(long highlightsStored);
  }

  /** How often a local run prints its progress line. */
  private static final long PROGRESS_EVERY_MILLIS = 10_000;

  /**
   * The pipeline on a local Flink with the web UI, into MongoDB (embedded unless a URI is set),
   * until Ctrl-C or {@code --duration}.
   */
  private static void runLocally(
      Config config,
      ChatInput input,
      ClipCreatorFactory clips,
      String banner,
      String command,
      Progress progress)
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
    if (embedded == null) {
      dev.streamhighlights.job.mongo.MongoPreflight.check(uri, database);
    }
    StreamExecutionEnvironment env =
        LocalFlink.withWebUi(
            port,
            // One checkpoint directory per command: a demo's state must not restore into a run.
            dataDir.resolve("checkpoints").resolve(command),
            config.get(Options.CHECKPOINT_INTERVAL));
    List<Sink<StoredHighlight>> highlightSinks = new ArrayList<>();
    highlightSinks.add(MongoSinks.highlights(uri, database));
    highlightSinks.add(new ConsoleHighlights());
    HighlightPipeline.Sinks sinks =
        withKafka(
            config,
            command,
            new HighlightPipeline.Sinks(List.of(MongoSinks.activity(uri, database)), highlightSinks)
                .withClipLedger(MongoClipLedger.factory(uri, database)));
    HighlightPipeline.build(env, input.source(), input.uid(), settings, clips, sinks);
    System.out.printf(
        Locale.ROOT,
        "%s%n"
            + "  Flink web UI:  http://127.0.0.1:%d%n"
            + "  MongoDB:       %s  database '%s', collections '%s' and '%s'%n"
            + "%s"
            + "  Data:          %s%n"
            + "Highlights appear below after about two minutes of history. Ctrl-C stops.%n",
        banner,
        port,
        embedded != null ? uri + " (embedded)" : "(from MONGO_URI)",
        database,
        MongoSinks.HIGHLIGHTS,
        MongoSinks.ACTIVITY,
        kafkaLine(config, sinks),
        dataDir);
    JobClient job = env.executeAsync("stream-highlights " + command);
    long until =
        config.get(Options.DURATION).isZero()
            ? Long.MAX_VALUE
            : System.nanoTime() + config.get(Options.DURATION).toNanos();
    try (MongoClient mongo = MongoClients.create(uri);
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
        System.out.println("Stopping after " + config.get(Options.DURATION).toSeconds() + " s.");
        job.cancel().get();
      } else {
        job.getJobExecutionResult().get();
      }
    }
  }

  /** The simulated Twitch on its own: for a job on a cluster on this machine. */
  static void simulate(Config config) throws Exception {
    TwitchSimulator twitch = startSimulator(config);
    System.out.println("chat   " + twitch.ircUri());
    System.out.println("helix  " + twitch.helixBaseUrl());
    System.out.println("auth   " + twitch.authBaseUrl());
    System.out.println("channels " + String.join(",", twitch.channels()));
    System.out.println(
        "credentials TWITCH_CLIENT_ID="
            + TwitchSimulator.CLIENT_ID
            + " TWITCH_CLIENT_SECRET="
            + TwitchSimulator.CLIENT_SECRET
            + " TWITCH_USER_TOKEN="
            + TwitchSimulator.USER_TOKEN
            + " TWITCH_REFRESH_TOKEN="
            + TwitchSimulator.REFRESH_TOKEN
            + " (simulator values, not secrets)");
    System.out.flush();
    Thread.currentThread().join();
  }

  /** The embedded server on its own, for clusters on this machine and for looking at the data. */
  static void mongo(Config config) throws Exception {
    Path dataDir = Path.of(config.get(Options.DATA_DIR)).toAbsolutePath().resolve("mongo");
    EmbeddedMongo mongo = EmbeddedMongo.start(dataDir, config.get(Options.MONGO_PORT));
    Runtime.getRuntime().addShutdownHook(new Thread(mongo::close, "embedded-mongo-stop"));
    System.out.println("MongoDB-compatible server at " + mongo.uri() + ", data in " + dataDir);
    Thread.currentThread().join();
  }

  private static String kafkaLine(Config config, HighlightPipeline.Sinks sinks) {
    if (sinks.highlightTopic() == null) {
      return "";
    }
    return String.format(
        Locale.ROOT,
        "  Kafka:         %s  highlights to '%s' (exactly once)%s%n",
        config.get(Options.KAFKA_BOOTSTRAP_SERVERS),
        config.get(Options.KAFKA_HIGHLIGHTS_TOPIC),
        sinks.chatTopic() != null
            ? ", chat to '" + config.get(Options.KAFKA_CHAT_TOPIC) + "'"
            : "");
  }

  static void backtest(Config config) throws Exception {
    Path out = Path.of(config.require(Options.OUT_FILE));
    PipelineSettings settings = PipelineSettings.from(config);
    List<Sink<ChannelActivity>> activitySinks = new ArrayList<>();
    List<Sink<StoredHighlight>> highlightSinks = new ArrayList<>();
    String uri = config.get(Options.MONGO_URI);
    if (uri != null) {
      dev.streamhighlights.job.mongo.MongoPreflight.check(uri, config.get(Options.MONGO_DATABASE));
      activitySinks.add(MongoSinks.activity(uri, config.get(Options.MONGO_DATABASE)));
      highlightSinks.add(MongoSinks.highlights(uri, config.get(Options.MONGO_DATABASE)));
    }
    Backtest.Result result;
    String from;
    String skipped;
    if (config.get(Options.SOURCE).equals("kafka")) {
      if (config.get(Options.CHAT_FILE) != null) {
        throw new ConfigException("give either --chat FILE or --source kafka, not both");
      }
      KafkaSettings kafka = KafkaSettings.require(config, "--source kafka");
      KafkaSettings.Position start =
          KafkaSettings.Position.parse("--kafka-from", config.get(Options.KAFKA_FROM));
      KafkaSettings.Position stop =
          KafkaSettings.Position.parse("--kafka-until", config.get(Options.KAFKA_UNTIL));
      if (start.kind().equals("latest")
          || stop.kind().equals("earliest")
          || stop.kind().equals("committed")) {
        throw new ConfigException(
            "a backtest from Kafka replays from --kafka-from (earliest, committed or a time)"
                + " until --kafka-until (latest or a time)");
      }
      result =
          Backtest.run(
              LocalFlink.bounded(),
              ChatKafka.source(kafka, start, stop),
              HighlightPipeline.UID_KAFKA_SOURCE,
              settings,
              activitySinks,
              highlightSinks);
      from = "topic '" + kafka.chatTopic() + "'";
      skipped = " (records that are not chat events: see the log and chatRecordsMalformed)";
    } else {
      if (config.get(Options.CHAT_FILE) == null) {
        throw new ConfigException(
            "--chat is required: " + Options.CHAT_FILE.accepts() + " (or --source kafka)");
      }
      Path chat = Path.of(config.get(Options.CHAT_FILE));
      result =
          Backtest.run(
              LocalFlink.bounded(), ChatLog.read(chat), settings, activitySinks, highlightSinks);
      from = chat.toString();
      skipped =
          String.format(
              Locale.ROOT,
              ", %d malformed rows skipped%s",
              result.malformedRows(),
              result.malformedRows() > 0
                  ? " (first at " + String.join(", ", result.malformedSamples()) + ")"
                  : "");
    }
    Backtest.write(result.highlights(), out);
    System.out.printf(
        Locale.ROOT,
        "backtest: %d messages in %d channels (%.2f h of chat) from %s%s%n"
            + "backtest: %d highlights (%.2f per hour) with the %s rule -> %s%n",
        result.messages(),
        result.channels(),
        result.chatHours(),
        from,
        skipped,
        result.highlights().size(),
        result.highlightsPerHour(),
        settings.rule(),
        out);
  }

  /** A recorded chat log into the Kafka chat topic, for backtests and jobs reading from it. */
  static void publishChat(Config config) throws Exception {
    KafkaSettings kafka = KafkaSettings.require(config, "publish-chat");
    Path chat = Path.of(config.require(Options.CHAT_FILE));
    ChatLog log = ChatLog.read(chat);
    StreamExecutionEnvironment env = LocalFlink.bounded();
    env.fromSource(
            ListChatSource.of(log.messages()),
            org.apache.flink.api.common.eventtime.WatermarkStrategy.noWatermarks(),
            "chat log")
        .sinkTo(ChatKafka.sink(kafka))
        .name("chat to Kafka");
    env.execute("stream-highlights publish-chat");
    System.out.printf(
        Locale.ROOT,
        "publish-chat: %d messages from %s -> topic '%s' at %s (%d malformed rows skipped)%n",
        log.messages().size(),
        chat,
        kafka.chatTopic(),
        kafka.bootstrapServers(),
        log.malformedRows());
  }

  /**
   * The ingest job: live chat into the Kafka chat topic, for detection jobs that read it with
   * {@code --source kafka}.
   */
  static void ingest(Config config) throws Exception {
    KafkaSettings kafka = KafkaSettings.require(config, "ingest");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.enableCheckpointing(config.get(Options.CHECKPOINT_INTERVAL).toMillis());
    env.getCheckpointConfig().setCheckpointTimeout(LocalFlink.CHECKPOINT_TIMEOUT_MS);
    env.getConfig().disableGenericTypes();
    Restarts.boundUnlessConfigured(env);
    Restarts.rideOutOutages(env);
    HighlightPipeline.ingest(env, LiveChat.source(config), ChatKafka.sink(kafka));
    env.execute("stream-highlights ingest");
  }

  /** The job as a cluster runs it: live chat into MongoDB by URI. */
  static void clusterJob(Config config) throws Exception {
    String uri = config.get(Options.MONGO_URI);
    if (uri == null) {
      throw new ConfigException(
          "--mongo-uri is required on a cluster: set MONGO_URI or use --mongo-uri-file");
    }
    String database = config.get(Options.MONGO_DATABASE);
    if (config.get(Options.TWITCH_TOKEN_STORE) == null) {
      // Twitch spends a refresh token when it is used: after a restart the job would start again
      // from the one in the secrets, already spent, and store clips 'unauthorized'.
      System.err.println(
          "stream-highlights: no --twitch-token-store: a user token the job refreshes is lost at"
              + " the next restart, and clips stop until new tokens are given. Give a path on"
              + " storage every task manager shares.");
    }
    // What no restart fixes (credentials, no write role) stops here, not in a restart loop.
    dev.streamhighlights.job.mongo.MongoPreflight.check(uri, database);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.enableCheckpointing(config.get(Options.CHECKPOINT_INTERVAL).toMillis());
    env.getCheckpointConfig().setCheckpointTimeout(LocalFlink.CHECKPOINT_TIMEOUT_MS);
    env.getConfig().disableGenericTypes();
    Restarts.boundUnlessConfigured(env);
    Restarts.rideOutOutages(env);
    ChatInput input = chatInput(config);
    HighlightPipeline.build(
        env,
        input.source(),
        input.uid(),
        PipelineSettings.from(config),
        LiveChat.clips(config, config.get(Options.TWITCH_TOKEN_STORE)),
        withKafka(
            config,
            "job",
            new HighlightPipeline.Sinks(
                    List.of(MongoSinks.activity(uri, database)),
                    List.of(MongoSinks.highlights(uri, database)))
                .withClipLedger(MongoClipLedger.factory(uri, database))));
    env.execute("stream-highlights");
  }

  /** The options as a Markdown table; the README's table is checked against it. */
  static String optionsTable() {
    StringBuilder sb = new StringBuilder("| option | default | accepts | what it does |\n");
    sb.append("|---|---|---|---|\n");
    List<Option<?>> all = new ArrayList<>(Options.DEMO);
    Options.RUN.stream().filter(o -> !all.contains(o)).forEach(all::add);
    Options.BACKTEST.stream().filter(o -> !all.contains(o)).forEach(all::add);
    Options.MONGO.stream().filter(o -> !all.contains(o)).forEach(all::add);
    Options.CLUSTER.stream().filter(o -> !all.contains(o)).forEach(all::add);
    Options.INGEST.stream().filter(o -> !all.contains(o)).forEach(all::add);
    Options.PUBLISH.stream().filter(o -> !all.contains(o)).forEach(all::add);
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
