package dev.streamhighlights.job.config;

import dev.streamhighlights.irc.config.Endpoints;
import dev.streamhighlights.job.mongo.MongoPreflight;
import java.time.Duration;
import java.util.List;

/** Every option the job knows, with its default and a one-line description. */
public final class Options {

  // Detection
  public static final Option<String> RULE =
      Option.choice(
          "rule",
          "default",
          List.of("default", "seed"),
          "Surge rule: 'default' (variance-aware score) or 'seed' (the 2018 system's rule).");
  public static final Option<Duration> WINDOW =
      Option.duration(
          "window",
          Duration.ofSeconds(10),
          Duration.ofSeconds(1),
          Duration.ofMinutes(5),
          "Event-time window in which messages are counted per channel.");
  public static final Option<Integer> HISTORY_WINDOWS =
      Option.integer(
          "history-windows",
          10,
          2,
          360,
          "Windows in the moving average (10 x 10 s = the old system's 100 s).");
  public static final Option<Double> THRESHOLD =
      Option.decimal(
          "threshold",
          1.5,
          0.0,
          100.0,
          "Default rule: how many noise units above the moving average a window must be.");
  public static final Option<Integer> MIN_COUNT =
      Option.integer(
          "min-count", 5, 1, 1_000_000, "Default rule: fewest messages in a surge window.");
  public static final Option<String> CHANNEL_TUNING =
      Option.text(
          "channel-tuning",
          null,
          "a path to a channel,threshold,min_count CSV",
          "Default rule: per-channel --threshold and --min-count (empty field = the global one).");
  public static final Option<Integer> CONFIRM_SURGES =
      Option.integer(
          "confirm-surges",
          1,
          1,
          10,
          "Surge windows needed for a highlight (1 = the first surge window is enough).");
  public static final Option<Duration> CONFIRM_WITHIN =
      Option.duration(
          "confirm-within",
          Duration.ofSeconds(30),
          Duration.ofSeconds(1),
          Duration.ofMinutes(10),
          "Time in which the confirming surge windows must follow each other.");
  public static final Option<Duration> COOLDOWN =
      Option.duration(
          "cooldown",
          Duration.ofSeconds(30),
          Duration.ZERO,
          Duration.ofHours(1),
          "Least time between two highlights of one channel.");
  public static final Option<Duration> STATE_RETENTION =
      Option.duration(
          "state-retention",
          Duration.ofMinutes(30),
          Duration.ofMinutes(1),
          Duration.ofDays(7),
          "A channel quiet this long (event time) has its detector state dropped.");
  public static final Option<Duration> OUT_OF_ORDERNESS =
      Option.duration(
          "out-of-orderness",
          Duration.ofSeconds(2),
          Duration.ZERO,
          Duration.ofMinutes(5),
          "How late (event time) a chat message may arrive and still be counted.");
  public static final Option<Duration> IDLENESS =
      Option.duration(
          "idleness",
          Duration.ofSeconds(10),
          Duration.ofMillis(100),
          Duration.ofHours(1),
          "A channel without messages this long stops holding back the watermark.");

  // Clips
  public static final Option<Integer> CLIP_SECONDS =
      Option.integer(
          "clip-seconds",
          60,
          5,
          60,
          "Length of a clip, ending when it is requested (60: chat reacts 0-30 s after the moment).");
  public static final Option<Duration> CLIP_MAX_AGE =
      Option.duration(
          "clip-max-age",
          null,
          Duration.ZERO,
          Duration.ofMinutes(10),
          "A moment older than this when its clip is due is stored 'stale', never clipped (not"
              + " set: --clip-seconds minus --window, at least 5 s, so the clip still shows it).");
  public static final Option<Duration> CLIP_TIMEOUT =
      Option.duration(
          "clip-timeout",
          Duration.ofSeconds(60),
          Duration.ofSeconds(1),
          Duration.ofMinutes(10),
          "Longest wait for one clip request before the highlight is stored as 'timeout'.");
  public static final Option<Integer> CLIP_CAPACITY =
      Option.integer(
          "clip-capacity", 100, 1, 10_000, "Clip requests in flight at once per parallel task.");

  public static final Option<Duration> CLIP_CONFIRM_WITHIN =
      Option.duration(
          "clip-confirm-within",
          Duration.ofSeconds(15),
          Duration.ofSeconds(1),
          Duration.ofMinutes(5),
          "How long a created clip may take to appear on Twitch before it counts as failed.");
  public static final Option<Duration> CLIP_POLL_INTERVAL =
      Option.duration(
          "clip-poll-interval",
          Duration.ofSeconds(1),
          Duration.ofMillis(100),
          Duration.ofSeconds(30),
          "How often a created clip is looked for meanwhile.");
  public static final Option<String> TWITCH_SECRETS_FILE =
      Option.text(
          "twitch-secrets-file",
          null,
          "a path to a properties file",
          "Clips: TWITCH_CLIENT_ID, TWITCH_CLIENT_SECRET, TWITCH_USER_TOKEN, TWITCH_REFRESH_TOKEN"
              + " from this file instead of the environment.");
  public static final Option<String> TWITCH_TOKEN_STORE =
      Option.text(
          "twitch-token-store",
          null,
          "a file path (shared storage on a cluster)",
          "Clips: where a refreshed user token is kept for the next start (local runs: in"
              + " --data-dir).");

  // Storage
  public static final Option<String> MONGO_URI =
      Option.text(
              "mongo-uri",
              null,
              "a mongodb:// or mongodb+srv:// URI",
              "MongoDB to store into; unset = the embedded server (local runs only).")
          .fromEnv("MONGO_URI")
          .secret();
  public static final Option<String> MONGO_URI_FILE =
      Option.text(
          "mongo-uri-file",
          null,
          "a path to a file holding the URI",
          "Reads the MongoDB URI from a file (for URIs with a password).");
  public static final Option<String> MONGO_DATABASE =
      Option.text("mongo-database", "stream_highlights", "a database name", "MongoDB database.")
          .checked(MongoPreflight.DATABASE_NAME_ACCEPTS, MongoPreflight::isValidDatabaseName);
  public static final Option<String> DATA_DIR =
      Option.text(
          "data-dir",
          "data",
          "a directory path",
          "Where local runs keep the embedded database and checkpoints.");

  public static final Option<Integer> MONGO_PORT =
      Option.integer(
          "mongo-port", 27017, 1, 65535, "mongo command: port of the standalone embedded server.");

  // Local runs
  public static final Option<Duration> CHECKPOINT_INTERVAL =
      Option.duration(
          "checkpoint-interval",
          Duration.ofSeconds(10),
          Duration.ofMillis(100),
          Duration.ofHours(1),
          "How often the job checkpoints its state.");
  public static final Option<Integer> WEB_UI_PORT =
      Option.integer("web-ui-port", 8081, 1, 65535, "Port of the Flink web UI on 127.0.0.1.");
  public static final Option<Integer> DEMO_CHANNELS =
      Option.integer("simulated-channels", 30, 1, 10_000, "Demo: how many channels to simulate.");
  public static final Option<Integer> DEMO_RATE =
      Option.integer(
          "simulated-rate",
          200,
          1,
          1_000_000,
          "Demo: chat messages per second over all simulated channels.");

  public static final Option<String> REPLAY =
      Option.text(
          "replay",
          null,
          "a path to a channel,epoch_millis CSV (.gz allowed)",
          "Demo: replay this chat log through the simulated Twitch instead of generated chat.");
  public static final Option<Double> REPLAY_SPEED =
      Option.decimal(
          "replay-speed", 1.0, 0.1, 1000.0, "Demo: how many times faster than recorded to replay.");
  public static final Option<Duration> DURATION =
      Option.duration(
          "duration",
          Duration.ZERO,
          Duration.ZERO,
          Duration.ofDays(365),
          "Stop by itself after this long (0 = run until Ctrl-C).");

  // Live chat (the IRC source)
  public static final Option<String> CHANNELS =
      Option.text(
          "channels",
          null,
          "a comma-separated list of channel logins",
          "Live: the channels to watch (or use --top).");
  public static final Option<Integer> TOP =
      Option.integer(
          "top",
          0,
          0,
          10_000,
          "Live: watch the top N live streams, refreshed (needs TWITCH_CLIENT_ID/SECRET).");
  public static final Option<Duration> DISCOVERY_INTERVAL =
      Option.duration(
          "discovery-interval",
          Duration.ofMinutes(5),
          Duration.ofSeconds(1),
          Duration.ofHours(24),
          "Live: how often the top-streams list is read again.");
  public static final Option<String> IRC_URI =
      Option.text(
          "irc-uri",
          "ircs://irc.chat.twitch.tv:6697",
          "ircs://host:port or wss://host (irc:// and ws:// for local simulators)",
          "Live: the chat server.");
  public static final Option<String> HELIX_URL =
      Option.text("helix-url", "https://api.twitch.tv/helix", "", "Live: Twitch's Helix API.")
          .checked(Endpoints.HTTPS_ACCEPTS, Endpoints::isHttpsOrLocal);
  public static final Option<String> AUTH_URL =
      Option.text(
              "auth-url",
              "https://id.twitch.tv/oauth2",
              "",
              "Live: Twitch's OAuth endpoint (app tokens).")
          .checked(Endpoints.HTTPS_ACCEPTS, Endpoints::isHttpsOrLocal);
  public static final Option<String> CHAT_NICK =
      Option.text(
          "chat-nick",
          null,
          "a Twitch login",
          "Live: log in to chat as this account (token in TWITCH_CHAT_TOKEN); unset = anonymous.");
  public static final Option<Integer> CHANNELS_PER_CONNECTION =
      Option.integer(
          "channels-per-connection", 90, 1, 1_000, "Live: channels one chat connection joins.");
  public static final Option<Integer> JOIN_LIMIT =
      Option.integer(
          "join-limit",
          20,
          1,
          2_000,
          "Live: channel JOINs per --join-window (20 for normal accounts; breaking it locks you out).");
  public static final Option<Duration> JOIN_WINDOW =
      Option.duration(
          "join-window",
          Duration.ofSeconds(10),
          Duration.ofSeconds(1),
          Duration.ofMinutes(10),
          "Live: the window of --join-limit.");

  // Backtest
  public static final Option<String> CHAT_FILE =
      Option.text(
          "chat",
          null,
          "a path to a channel,epoch_millis CSV (.gz allowed)",
          "Backtest: the chat log to replay.");
  public static final Option<String> OUT_FILE =
      Option.text(
          "out", null, "a path for the JSON lines output", "Backtest: where highlights go.");

  // Kafka
  public static final Option<String> SOURCE =
      Option.choice(
          "source",
          "irc",
          List.of("irc", "kafka"),
          "Where chat comes from: live Twitch chat (irc) or the Kafka chat topic (kafka).");
  public static final Option<String> PUBLISH_CHAT =
      Option.choice(
          "publish-chat",
          "false",
          List.of("false", "true"),
          "With --source irc: also write each chat message (channel, id, time; never its text) to"
              + " the Kafka chat topic.");
  public static final Option<String> KAFKA_BOOTSTRAP_SERVERS =
      Option.text(
              "kafka-bootstrap-servers",
              null,
              "host:port[,host:port...]",
              "Kafka to use; set = highlights also go to the highlights topic (exactly once).")
          .fromEnv("KAFKA_BOOTSTRAP_SERVERS");
  public static final Option<String> KAFKA_PROPERTIES_FILE =
      Option.text(
          "kafka-properties-file",
          null,
          "a path to a Java properties file",
          "Extra Kafka client settings (security.protocol, sasl.jaas.config, ...); may hold"
              + " secrets.");
  public static final Option<String> KAFKA_CHAT_TOPIC =
      Option.text("kafka-chat-topic", "chat", "a topic name", "Kafka topic of chat events.");
  public static final Option<String> KAFKA_HIGHLIGHTS_TOPIC =
      Option.text(
          "kafka-highlights-topic", "highlights", "a topic name", "Kafka topic of highlights.");
  public static final Option<String> KAFKA_GROUP_ID =
      Option.text(
          "kafka-group-id",
          "stream-highlights",
          "a consumer group id",
          "Consumer group of the chat source (offsets committed on checkpoints, for lag).");
  public static final Option<String> KAFKA_TRANSACTIONAL_ID_PREFIX =
      Option.text(
          "kafka-transactional-id-prefix",
          null,
          "a prefix unique per job on the Kafka cluster",
          "Prefix of the exactly-once highlights producer's transactional ids (unset ="
              + " stream-highlights-<command>: -demo, -run, -job).");
  public static final Option<String> KAFKA_START =
      Option.text(
          "kafka-start",
          "latest",
          "earliest, latest, committed or an ISO-8601 instant",
          "With --source kafka: where a job without a checkpoint starts reading the chat topic.");
  public static final Option<String> KAFKA_FROM =
      Option.text(
          "kafka-from",
          "earliest",
          "earliest, committed or an ISO-8601 instant",
          "Backtest from Kafka: the first chat event to replay.");
  public static final Option<String> KAFKA_UNTIL =
      Option.text(
          "kafka-until",
          "latest",
          "latest or an ISO-8601 instant",
          "Backtest from Kafka: replay up to here (latest = what the topic holds at the start).");

  /** Options of Kafka as a sink (highlights, chat) and a source. */
  public static final List<Option<?>> KAFKA =
      List.of(
          KAFKA_BOOTSTRAP_SERVERS,
          KAFKA_PROPERTIES_FILE,
          KAFKA_CHAT_TOPIC,
          KAFKA_HIGHLIGHTS_TOPIC,
          KAFKA_GROUP_ID,
          KAFKA_TRANSACTIONAL_ID_PREFIX);

  /** Options every pipeline run reads. */
  public static final List<Option<?>> PIPELINE =
      List.of(
          RULE,
          WINDOW,
          HISTORY_WINDOWS,
          THRESHOLD,
          MIN_COUNT,
          CHANNEL_TUNING,
          CONFIRM_SURGES,
          CONFIRM_WITHIN,
          COOLDOWN,
          STATE_RETENTION,
          OUT_OF_ORDERNESS,
          IDLENESS,
          CLIP_SECONDS,
          CLIP_MAX_AGE,
          CLIP_TIMEOUT,
          CLIP_CAPACITY,
          MONGO_URI,
          MONGO_URI_FILE,
          MONGO_DATABASE);

  /** Options of the backtest command. */
  public static final List<Option<?>> BACKTEST =
      concat(
          PIPELINE,
          List.of(
              CHAT_FILE,
              OUT_FILE,
              SOURCE,
              KAFKA_BOOTSTRAP_SERVERS,
              KAFKA_PROPERTIES_FILE,
              KAFKA_CHAT_TOPIC,
              KAFKA_GROUP_ID,
              KAFKA_FROM,
              KAFKA_UNTIL));

  /** Options of the demo command. */
  public static final List<Option<?>> DEMO =
      concat(
          PIPELINE,
          List.of(
              DATA_DIR,
              CHECKPOINT_INTERVAL,
              WEB_UI_PORT,
              DURATION,
              DEMO_CHANNELS,
              DEMO_RATE,
              REPLAY,
              REPLAY_SPEED,
              CLIP_CONFIRM_WITHIN,
              CLIP_POLL_INTERVAL,
              PUBLISH_CHAT,
              KAFKA_BOOTSTRAP_SERVERS,
              KAFKA_PROPERTIES_FILE,
              KAFKA_CHAT_TOPIC,
              KAFKA_HIGHLIGHTS_TOPIC,
              KAFKA_TRANSACTIONAL_ID_PREFIX));

  /** Options of the live chat source. */
  public static final List<Option<?>> LIVE =
      List.of(
          CHANNELS,
          TOP,
          DISCOVERY_INTERVAL,
          IRC_URI,
          HELIX_URL,
          AUTH_URL,
          CHAT_NICK,
          CHANNELS_PER_CONNECTION,
          JOIN_LIMIT,
          JOIN_WINDOW);

  /** Options of Twitch clip creation. */
  public static final List<Option<?>> CLIPS =
      List.of(CLIP_CONFIRM_WITHIN, CLIP_POLL_INTERVAL, TWITCH_SECRETS_FILE, TWITCH_TOKEN_STORE);

  /** Options of the run command: live chat on this machine. */
  public static final List<Option<?>> RUN =
      concat(
          concat(concat(concat(PIPELINE, LIVE), CLIPS), KAFKA),
          List.of(
              SOURCE,
              PUBLISH_CHAT,
              KAFKA_START,
              DATA_DIR,
              CHECKPOINT_INTERVAL,
              WEB_UI_PORT,
              DURATION));

  /** Options of the mongo command (the embedded server on its own). */
  public static final List<Option<?>> MONGO = List.of(DATA_DIR, MONGO_PORT);

  /** Options of the simulate command (the simulated Twitch on its own). */
  public static final List<Option<?>> SIMULATE =
      List.of(DEMO_CHANNELS, DEMO_RATE, REPLAY, REPLAY_SPEED);

  /** Options of a job submitted to a cluster. */
  public static final List<Option<?>> CLUSTER =
      concat(
          concat(concat(concat(PIPELINE, LIVE), CLIPS), KAFKA),
          List.of(SOURCE, PUBLISH_CHAT, KAFKA_START, CHECKPOINT_INTERVAL));

  /** Options of the ingest job: live chat into the Kafka chat topic, nothing else. */
  public static final List<Option<?>> INGEST =
      concat(
          LIVE,
          List.of(
              KAFKA_BOOTSTRAP_SERVERS,
              KAFKA_PROPERTIES_FILE,
              KAFKA_CHAT_TOPIC,
              CHECKPOINT_INTERVAL,
              OUT_OF_ORDERNESS));

  /** Options of the publish-chat command: a recorded chat log into the Kafka chat topic. */
  public static final List<Option<?>> PUBLISH =
      List.of(CHAT_FILE, KAFKA_BOOTSTRAP_SERVERS, KAFKA_PROPERTIES_FILE, KAFKA_CHAT_TOPIC);

  private Options() {}

  private static List<Option<?>> concat(List<Option<?>> a, List<Option<?>> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }
}
