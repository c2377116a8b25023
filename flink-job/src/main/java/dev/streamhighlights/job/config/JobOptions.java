package dev.streamhighlights.job.config;

import static org.apache.flink.configuration.ConfigOptions.key;

import dev.streamhighlights.irc.config.Endpoints;
import dev.streamhighlights.job.mongo.MongoPreflight;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.configuration.ConfigOption;

/**
 * Every option of the job as Flink {@link ConfigOption}s, like flink-connector-kafka's {@code
 * KafkaSourceOptions}. On the command line an option is {@code --key value}; in a Flink
 * configuration file it is {@code stream-highlights.key: value}. What a value must be beyond its
 * type (a range, a URL scheme) is its {@link Accepts}, checked by {@link CommandLine}.
 */
public final class JobOptions {

  /** Prefix of the options in a Flink configuration file or {@code -D} property. */
  public static final String PREFIX = "stream-highlights.";

  private static final Map<String, Accepts<?>> ACCEPTS = new LinkedHashMap<>();
  private static final Map<String, String> ENV = new LinkedHashMap<>();
  private static final Map<String, String> SECRET_FILES = new LinkedHashMap<>();
  private static final List<ConfigOption<?>> ALL = new ArrayList<>();

  /** Where chat comes from. */
  public enum ChatSourceKind {
    IRC,
    KAFKA;

    @Override
    public String toString() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * The surge rules: the fitted excess rule (the default), the variance-aware rule (the default
   * before it) and the 2018 system's. {@code default} names whichever is the default, so scripts
   * that say {@code --rule default} keep working.
   */
  public enum SurgeRuleKind {
    DEFAULT,
    EXCESS,
    VARIANCE,
    SEED;

    /** The rule's name as the pipeline knows it. */
    public String ruleName() {
      return this == DEFAULT ? EXCESS.toString() : toString();
    }

    @Override
    public String toString() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  // Detection
  public static final ConfigOption<SurgeRuleKind> RULE =
      option(
          key("rule")
              .enumType(SurgeRuleKind.class)
              .defaultValue(SurgeRuleKind.EXCESS)
              .withDescription(
                  "Surge rule: 'excess' (fitted on labelled chat; also 'default'), 'variance' (the"
                      + " previous default) or 'seed' (the 2018 system's rule)."),
          Accepts.oneOf(SurgeRuleKind.class));
  public static final ConfigOption<Duration> WINDOW =
      option(
          key("window")
              .durationType()
              .defaultValue(Duration.ofSeconds(10))
              .withDescription("Event-time window in which messages are counted per channel."),
          Accepts.between(Duration.ofSeconds(1), Duration.ofMinutes(5)));
  public static final ConfigOption<Integer> HISTORY_WINDOWS =
      option(
          key("history-windows")
              .intType()
              .defaultValue(10)
              .withDescription(
                  "Seed and variance rules: windows in the moving average (10 x 10 s = the old"
                      + " system's 100 s)."),
          Accepts.between(2, 360));
  public static final ConfigOption<Double> THRESHOLD =
      option(
          key("threshold")
              .doubleType()
              .noDefaultValue()
              .withDescription(
                  "How far above its baseline a window must be, in the rule's noise units (not"
                      + " set: the excess rule's model, 1.5 for the variance rule); the excess"
                      + " rule's threshold for quiet channels moves by as much."),
          Accepts.between(0.0, 100.0));
  public static final ConfigOption<String> DETECTOR_MODEL =
      option(
          key("detector-model")
              .stringType()
              .noDefaultValue()
              .withDescription(
                  "Excess rule: its fitted numbers from this file (tools/fit-detector.py writes"
                      + " one; not set: the model the job ships)."),
          Accepts.text("a path to a detector model .properties file"));
  public static final ConfigOption<Integer> MIN_COUNT =
      option(
          key("min-count")
              .intType()
              .defaultValue(5)
              .withDescription("Variance rule: fewest messages in a surge window."),
          Accepts.between(1, 1_000_000));
  public static final ConfigOption<String> CHANNEL_TUNING =
      option(
          key("channel-tuning")
              .stringType()
              .noDefaultValue()
              .withDescription(
                  "Excess and variance rules: per-channel --threshold and --min-count (empty field"
                      + " = the global one)."),
          Accepts.text("a path to a channel,threshold,min_count CSV"));
  public static final ConfigOption<Integer> CONFIRM_SURGES =
      option(
          key("confirm-surges")
              .intType()
              .defaultValue(1)
              .withDescription(
                  "Surge windows needed for a highlight (1 = the first surge window is enough)."),
          Accepts.between(1, 10));
  public static final ConfigOption<Duration> CONFIRM_WITHIN =
      option(
          key("confirm-within")
              .durationType()
              .defaultValue(Duration.ofSeconds(30))
              .withDescription(
                  "Time in which the confirming surge windows must follow each other."),
          Accepts.between(Duration.ofSeconds(1), Duration.ofMinutes(10)));
  public static final ConfigOption<Duration> COOLDOWN =
      option(
          key("cooldown")
              .durationType()
              .defaultValue(Duration.ofSeconds(30))
              .withDescription("Least time between two highlights of one channel."),
          Accepts.between(Duration.ZERO, Duration.ofHours(1)));
  public static final ConfigOption<Duration> STATE_RETENTION =
      option(
          key("state-retention")
              .durationType()
              .defaultValue(Duration.ofMinutes(30))
              .withDescription(
                  "A channel quiet this long (event time) has its detector state dropped."),
          Accepts.between(Duration.ofMinutes(1), Duration.ofDays(7)));
  public static final ConfigOption<Duration> OUT_OF_ORDERNESS =
      option(
          key("out-of-orderness")
              .durationType()
              .defaultValue(Duration.ofSeconds(2))
              .withDescription(
                  "How late (event time) a chat message may arrive and still be counted."),
          Accepts.between(Duration.ZERO, Duration.ofMinutes(5)));
  public static final ConfigOption<Duration> IDLENESS =
      option(
          key("idleness")
              .durationType()
              .defaultValue(Duration.ofSeconds(10))
              .withDescription(
                  "A channel without messages this long stops holding back the watermark."),
          Accepts.between(Duration.ofMillis(100), Duration.ofHours(1)));

  // Clips
  public static final ConfigOption<Integer> CLIP_SECONDS =
      option(
          key("clip-seconds")
              .intType()
              .defaultValue(60)
              .withDescription(
                  "Length of a clip, ending when it is requested (60: chat reacts 0-30 s after the"
                      + " moment)."),
          Accepts.between(5, 60));
  public static final ConfigOption<Duration> CLIP_MAX_AGE =
      option(
          key("clip-max-age")
              .durationType()
              .noDefaultValue()
              .withDescription(
                  "A moment older than this when its clip is due is stored 'stale', never clipped"
                      + " (not set: --clip-seconds minus --window, at least 5 s, so the clip still"
                      + " shows it)."),
          Accepts.between(Duration.ZERO, Duration.ofMinutes(10)));
  public static final ConfigOption<Duration> CLIP_TIMEOUT =
      option(
          key("clip-timeout")
              .durationType()
              .defaultValue(Duration.ofSeconds(60))
              .withDescription(
                  "Longest wait for one clip request before the highlight is stored as"
                      + " 'timeout'."),
          Accepts.between(Duration.ofSeconds(1), Duration.ofMinutes(10)));
  public static final ConfigOption<Integer> CLIP_CAPACITY =
      option(
          key("clip-capacity")
              .intType()
              .defaultValue(100)
              .withDescription("Clip requests in flight at once per parallel task."),
          Accepts.between(1, 10_000));
  public static final ConfigOption<Integer> CLIPS_PER_HOUR =
      option(
          key("clips-per-hour")
              .intType()
              .defaultValue(6)
              .withDescription(
                  "Clips per channel in any hour, spent on the channel's best-scoring highlights"
                      + " (the rest are stored 'over-budget'; 0 = no budget)."),
          Accepts.between(0, 360));
  public static final ConfigOption<Duration> CLIP_CONFIRM_WITHIN =
      option(
          key("clip-confirm-within")
              .durationType()
              .defaultValue(Duration.ofSeconds(15))
              .withDescription(
                  "How long a created clip may take to appear on Twitch before it counts as"
                      + " failed."),
          Accepts.between(Duration.ofSeconds(1), Duration.ofMinutes(5)));
  public static final ConfigOption<Duration> CLIP_POLL_INTERVAL =
      option(
          key("clip-poll-interval")
              .durationType()
              .defaultValue(Duration.ofSeconds(1))
              .withDescription("How often a created clip is looked for meanwhile."),
          Accepts.between(Duration.ofMillis(100), Duration.ofSeconds(30)));
  public static final ConfigOption<String> TWITCH_SECRETS_FILE =
      option(
          key("twitch-secrets-file")
              .stringType()
              .noDefaultValue()
              .withDescription(
                  "Clips: TWITCH_CLIENT_ID, TWITCH_CLIENT_SECRET, TWITCH_USER_TOKEN,"
                      + " TWITCH_REFRESH_TOKEN from this file instead of the environment."),
          Accepts.text("a path to a properties file"));
  public static final ConfigOption<String> TWITCH_TOKEN_STORE =
      option(
          key("twitch-token-store")
              .stringType()
              .noDefaultValue()
              .withDescription(
                  "Clips: where a refreshed user token is kept for the next start (local runs: in"
                      + " --data-dir)."),
          Accepts.text("a file path (shared storage on a cluster)"));

  // Storage
  public static final ConfigOption<String> MONGO_URI =
      option(
          key("mongo-uri")
              .stringType()
              .noDefaultValue()
              .withDescription(
                  "MongoDB to store into; unset = the embedded server (local runs only)."),
          Accepts.text(
              "a mongodb:// or mongodb+srv:// URI", s -> s.matches("^mongodb(\\+srv)?://.+")));
  public static final ConfigOption<String> MONGO_URI_FILE =
      option(
          key("mongo-uri-file")
              .stringType()
              .noDefaultValue()
              .withDescription("Reads the MongoDB URI from a file (for URIs with a password)."),
          Accepts.text("a path to a file holding the URI"));
  public static final ConfigOption<String> MONGO_DATABASE =
      option(
          key("mongo-database")
              .stringType()
              .defaultValue("stream_highlights")
              .withDescription("MongoDB database."),
          Accepts.text(MongoPreflight.DATABASE_NAME_ACCEPTS, MongoPreflight::isValidDatabaseName));
  public static final ConfigOption<String> DATA_DIR =
      option(
          key("data-dir")
              .stringType()
              .defaultValue("data")
              .withDescription("Where local runs keep the embedded database and checkpoints."),
          Accepts.text("a directory path"));
  public static final ConfigOption<Integer> MONGO_PORT =
      option(
          key("mongo-port")
              .intType()
              .defaultValue(27017)
              .withDescription("mongo command: port of the standalone embedded server."),
          Accepts.between(1, 65535));

  // Local runs
  public static final ConfigOption<Duration> CHECKPOINT_INTERVAL =
      option(
          key("checkpoint-interval")
              .durationType()
              .defaultValue(Duration.ofSeconds(10))
              .withDescription(
                  "How often the job checkpoints its state (on a cluster, Flink's"
                      + " execution.checkpointing.interval wins where it is set)."),
          Accepts.between(Duration.ofMillis(100), Duration.ofHours(1)));
  public static final ConfigOption<Integer> WEB_UI_PORT =
      option(
          key("web-ui-port")
              .intType()
              .defaultValue(8081)
              .withDescription("Port of the Flink web UI on 127.0.0.1."),
          Accepts.between(1, 65535));
  public static final ConfigOption<Integer> WEB_PORT =
      option(
          key("web-port")
              .intType()
              .defaultValue(8082)
              .withDescription("Port of the highlights page (demo, run, web; 0 = any free port)."),
          Accepts.between(0, 65535));
  public static final ConfigOption<String> WEB_BIND_ADDRESS =
      option(
          key("web-bind-address")
              .stringType()
              .defaultValue("127.0.0.1")
              .withDescription(
                  "Address the highlights page listens on (the page has no login: widen with"
                      + " care)."),
          Accepts.text("an IP address or host name of this machine (0.0.0.0 = every interface)"));
  public static final ConfigOption<Integer> SIMULATED_CHANNELS =
      option(
          key("simulated-channels")
              .intType()
              .defaultValue(30)
              .withDescription("Demo: how many channels to simulate."),
          Accepts.between(1, 10_000));
  public static final ConfigOption<Integer> SIMULATED_RATE =
      option(
          key("simulated-rate")
              .intType()
              .defaultValue(200)
              .withDescription("Demo: chat messages per second over all simulated channels."),
          Accepts.between(1, 1_000_000));
  public static final ConfigOption<String> REPLAY =
      option(
          key("replay")
              .stringType()
              .noDefaultValue()
              .withDescription(
                  "Demo: replay this chat log through the simulated Twitch instead of generated"
                      + " chat."),
          Accepts.text("a path to a channel,epoch_millis CSV (.gz allowed)"));
  public static final ConfigOption<Double> REPLAY_SPEED =
      option(
          key("replay-speed")
              .doubleType()
              .defaultValue(1.0)
              .withDescription("Demo: how many times faster than recorded to replay."),
          Accepts.between(0.1, 1000.0));
  public static final ConfigOption<Duration> DURATION =
      option(
          key("duration")
              .durationType()
              .defaultValue(Duration.ZERO)
              .withDescription("Stop by itself after this long (0 = run until Ctrl-C)."),
          Accepts.between(Duration.ZERO, Duration.ofDays(365)));

  // Live chat (the IRC source)
  public static final ConfigOption<String> CHANNELS =
      option(
          key("channels")
              .stringType()
              .noDefaultValue()
              .withDescription("Live: the channels to watch (or --channels-file, --top)."),
          Accepts.text("a comma-separated list of channel logins"));
  public static final ConfigOption<String> CHANNELS_FILE =
      option(
          key("channels-file")
              .stringType()
              .noDefaultValue()
              .withDescription(
                  "Live: watch the channels listed in this file, read when the job is"
                      + " submitted."),
          Accepts.text("a path to a text file: one login per line, # comments"));

  /** {@code --top all}: every live stream. */
  public static final String ALL_STREAMS = "all";

  /** The most {@code --top N} takes; beyond it, {@code --top all}. */
  public static final int MAX_TOP = 10_000;

  public static final ConfigOption<String> TOP =
      option(
          key("top")
              .stringType()
              .noDefaultValue()
              .withDescription(
                  "Live: watch the top N live streams, or all of them, refreshed (needs"
                      + " TWITCH_CLIENT_ID/SECRET)."),
          Accepts.text(
              "an integer from 1 to " + MAX_TOP + ", or " + ALL_STREAMS, JobOptions::isTop));
  public static final ConfigOption<Duration> DISCOVERY_INTERVAL =
      option(
          key("discovery-interval")
              .durationType()
              .defaultValue(Duration.ofMinutes(5))
              .withDescription(
                  "Live: how often the live-stream list is read again (at least 2m with --top"
                      + " all)."),
          Accepts.between(Duration.ofSeconds(1), Duration.ofHours(24)));
  public static final ConfigOption<String> IRC_URI =
      option(
          key("irc-uri")
              .stringType()
              .defaultValue("ircs://irc.chat.twitch.tv:6697")
              .withDescription("Live: the chat server."),
          Accepts.text("ircs://host:port or wss://host (irc:// and ws:// for local simulators)"));
  public static final ConfigOption<String> HELIX_URL =
      option(
          key("helix-url")
              .stringType()
              .defaultValue("https://api.twitch.tv/helix")
              .withDescription("Live: Twitch's Helix API."),
          Accepts.text(Endpoints.HTTPS_ACCEPTS, Endpoints::isHttpsOrLocal));
  public static final ConfigOption<String> AUTH_URL =
      option(
          key("auth-url")
              .stringType()
              .defaultValue("https://id.twitch.tv/oauth2")
              .withDescription("Live: Twitch's OAuth endpoint (app tokens)."),
          Accepts.text(Endpoints.HTTPS_ACCEPTS, Endpoints::isHttpsOrLocal));
  public static final ConfigOption<String> CHAT_NICK =
      option(
          key("chat-nick")
              .stringType()
              .noDefaultValue()
              .withDescription(
                  "Live: also join as this account (token in TWITCH_CHAT_TOKEN), with its own"
                      + " --chat-join-limit and --chat-channel-cap; unset = anonymous only."),
          Accepts.text("a Twitch login"));
  public static final ConfigOption<Integer> CHANNELS_PER_CONNECTION =
      option(
          key("channels-per-connection")
              .intType()
              .defaultValue(90)
              .withDescription("Live: channels one chat connection joins."),
          Accepts.between(1, 1_000));
  public static final ConfigOption<Integer> JOIN_LIMIT =
      option(
          key("join-limit")
              .intType()
              .defaultValue(20)
              .withDescription(
                  "Live: channel JOINs per --join-window for each anonymous identity (Twitch: 20"
                      + " per account; breaking it locks you out)."),
          Accepts.between(1, 2_000));
  public static final ConfigOption<Duration> JOIN_WINDOW =
      option(
          key("join-window")
              .durationType()
              .defaultValue(Duration.ofSeconds(10))
              .withDescription("Live: the window of --join-limit and --chat-join-limit."),
          Accepts.between(Duration.ofSeconds(1), Duration.ofMinutes(10)));
  public static final ConfigOption<Integer> ANONYMOUS_IDENTITIES =
      option(
          key("anonymous-identities")
              .intType()
              .noDefaultValue()
              .withDescription(
                  "Live: anonymous chat identities (distinct justinfan nicks), each with its own"
                      + " --join-limit and --anonymous-channel-cap, shared out among the source's"
                      + " subtasks; unset = one per subtask, or none with --chat-nick."),
          Accepts.between(0, 1_000));
  public static final ConfigOption<Integer> ANONYMOUS_CHANNEL_CAP =
      option(
          key("anonymous-channel-cap")
              .intType()
              .noDefaultValue()
              .withDescription(
                  "Live: channels each anonymous identity holds at most; unset = no cap (Twitch"
                      + " documents none)."),
          Accepts.between(1, 1_000_000));
  public static final ConfigOption<Integer> CHAT_JOIN_LIMIT =
      option(
          key("chat-join-limit")
              .intType()
              .defaultValue(20)
              .withDescription(
                  "Live: channel JOINs per --join-window for the --chat-nick account (2000 for a"
                      + " verified bot)."),
          Accepts.between(1, 2_000));
  public static final ConfigOption<Integer> CHAT_CHANNEL_CAP =
      option(
          key("chat-channel-cap")
              .intType()
              .defaultValue(100)
              .withDescription(
                  "Live: channels the --chat-nick account holds at most (Twitch: 100)."),
          Accepts.between(1, 1_000_000));

  // Backtest
  public static final ConfigOption<String> CHAT_FILE =
      option(
          key("chat")
              .stringType()
              .noDefaultValue()
              .withDescription("Backtest: the chat log to replay."),
          Accepts.text("a path to a channel,epoch_millis CSV (.gz allowed)"));
  public static final ConfigOption<String> OUT_FILE =
      option(
          key("out")
              .stringType()
              .noDefaultValue()
              .withDescription("Backtest: where highlights go."),
          Accepts.text("a path for the JSON lines output"));

  // Kafka
  public static final ConfigOption<ChatSourceKind> SOURCE =
      option(
          key("source")
              .enumType(ChatSourceKind.class)
              .defaultValue(ChatSourceKind.IRC)
              .withDescription(
                  "Where chat comes from: live Twitch chat (irc) or the Kafka chat topic (kafka)."),
          Accepts.oneOf(ChatSourceKind.class));
  public static final ConfigOption<Boolean> PUBLISH_CHAT =
      option(
          key("publish-chat")
              .booleanType()
              .defaultValue(false)
              .withDescription(
                  "With --source irc: also write each chat message (channel, id, time; never its"
                      + " text) to the Kafka chat topic."),
          Accepts.bool());
  public static final ConfigOption<String> KAFKA_BOOTSTRAP_SERVERS =
      option(
          key("kafka-bootstrap-servers")
              .stringType()
              .noDefaultValue()
              .withDescription(
                  "Kafka to use; set = highlights also go to the highlights topic (exactly"
                      + " once)."),
          Accepts.text("host:port[,host:port...]"));
  public static final ConfigOption<String> KAFKA_PROPERTIES_FILE =
      option(
          key("kafka-properties-file")
              .stringType()
              .noDefaultValue()
              .withDescription(
                  "Extra Kafka client settings (security.protocol, sasl.jaas.config, ...); may"
                      + " hold secrets."),
          Accepts.text("a path to a Java properties file"));
  public static final ConfigOption<String> KAFKA_CHAT_TOPIC =
      option(
          key("kafka-chat-topic")
              .stringType()
              .defaultValue("chat")
              .withDescription("Kafka topic of chat events."),
          Accepts.text("a topic name"));
  public static final ConfigOption<String> KAFKA_HIGHLIGHTS_TOPIC =
      option(
          key("kafka-highlights-topic")
              .stringType()
              .defaultValue("highlights")
              .withDescription("Kafka topic of highlights."),
          Accepts.text("a topic name"));
  public static final ConfigOption<String> KAFKA_GROUP_ID =
      option(
          key("kafka-group-id")
              .stringType()
              .defaultValue("stream-highlights")
              .withDescription(
                  "Consumer group of the chat source (offsets committed on checkpoints, for"
                      + " lag)."),
          Accepts.text("a consumer group id"));
  public static final ConfigOption<String> KAFKA_TRANSACTIONAL_ID_PREFIX =
      option(
          key("kafka-transactional-id-prefix")
              .stringType()
              .noDefaultValue()
              .withDescription(
                  "Prefix of the exactly-once highlights producer's transactional ids (unset ="
                      + " stream-highlights-<command>: -demo, -run, -job)."),
          Accepts.text("a prefix unique per job on the Kafka cluster"));
  public static final ConfigOption<String> KAFKA_START =
      option(
          key("kafka-start")
              .stringType()
              .defaultValue("latest")
              .withDescription(
                  "With --source kafka: where a job without a checkpoint starts reading the chat"
                      + " topic."),
          Accepts.text("earliest, latest, committed or an ISO-8601 instant"));
  public static final ConfigOption<String> KAFKA_FROM =
      option(
          key("kafka-from")
              .stringType()
              .defaultValue("earliest")
              .withDescription("Backtest from Kafka: the first chat event to replay."),
          Accepts.text("earliest, committed or an ISO-8601 instant"));
  public static final ConfigOption<String> KAFKA_UNTIL =
      option(
          key("kafka-until")
              .stringType()
              .defaultValue("latest")
              .withDescription(
                  "Backtest from Kafka: replay up to here (latest = what the topic holds at the"
                      + " start)."),
          Accepts.text("latest or an ISO-8601 instant"));

  static {
    ENV.put(MONGO_URI.key(), "MONGO_URI");
    ENV.put(KAFKA_BOOTSTRAP_SERVERS.key(), "KAFKA_BOOTSTRAP_SERVERS");
    SECRET_FILES.put(MONGO_URI.key(), MONGO_URI_FILE.key());
  }

  /** Kafka as a sink (highlights, chat) and a source. */
  public static final List<ConfigOption<?>> KAFKA =
      List.of(
          KAFKA_BOOTSTRAP_SERVERS,
          KAFKA_PROPERTIES_FILE,
          KAFKA_CHAT_TOPIC,
          KAFKA_HIGHLIGHTS_TOPIC,
          KAFKA_GROUP_ID,
          KAFKA_TRANSACTIONAL_ID_PREFIX);

  /** What every pipeline run reads: detection, clip timing, storage. */
  public static final List<ConfigOption<?>> PIPELINE =
      List.of(
          RULE,
          WINDOW,
          HISTORY_WINDOWS,
          THRESHOLD,
          DETECTOR_MODEL,
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
          CLIPS_PER_HOUR,
          MONGO_URI,
          MONGO_URI_FILE,
          MONGO_DATABASE);

  /** The live chat source. */
  public static final List<ConfigOption<?>> LIVE =
      List.of(
          CHANNELS,
          CHANNELS_FILE,
          TOP,
          DISCOVERY_INTERVAL,
          IRC_URI,
          HELIX_URL,
          AUTH_URL,
          CHAT_NICK,
          CHANNELS_PER_CONNECTION,
          JOIN_LIMIT,
          JOIN_WINDOW,
          ANONYMOUS_IDENTITIES,
          ANONYMOUS_CHANNEL_CAP,
          CHAT_JOIN_LIMIT,
          CHAT_CHANNEL_CAP);

  /** Twitch clip creation. */
  public static final List<ConfigOption<?>> CLIPS =
      List.of(CLIP_CONFIRM_WITHIN, CLIP_POLL_INTERVAL, TWITCH_SECRETS_FILE, TWITCH_TOKEN_STORE);

  /** The detection job on a cluster (and {@code run} on this machine, with the local options). */
  public static final List<ConfigOption<?>> CLUSTER =
      union(
          PIPELINE,
          LIVE,
          CLIPS,
          KAFKA,
          List.of(SOURCE, PUBLISH_CHAT, KAFKA_START, CHECKPOINT_INTERVAL));

  /** The ingest job: live chat into the Kafka chat topic, nothing else. */
  public static final List<ConfigOption<?>> INGEST =
      union(
          LIVE,
          List.of(
              KAFKA_BOOTSTRAP_SERVERS,
              KAFKA_PROPERTIES_FILE,
              KAFKA_CHAT_TOPIC,
              CHECKPOINT_INTERVAL,
              OUT_OF_ORDERNESS));

  private JobOptions() {}

  /** Whether {@code value} is a {@code --top}: a count from 1 to {@link #MAX_TOP}, or all. */
  static boolean isTop(String value) {
    String v = value.strip();
    if (v.equalsIgnoreCase(ALL_STREAMS)) {
      return true;
    }
    try {
      int n = Integer.parseInt(v);
      return n >= 1 && n <= MAX_TOP;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** Every option in declaration order (the README's table). */
  public static List<ConfigOption<?>> all() {
    return List.copyOf(ALL);
  }

  /** What {@code option} accepts beyond its type. */
  public static Accepts<?> accepts(ConfigOption<?> option) {
    return ACCEPTS.get(option.key());
  }

  /** The environment variable that can set {@code option}, or null. */
  public static String envVariable(ConfigOption<?> option) {
    return ENV.get(option.key());
  }

  /**
   * The key of the option naming a file that holds {@code option}'s value, or null. Options with
   * such a file hold secrets: they are never echoed and never taken with a password on the command
   * line.
   */
  public static String secretFileKey(ConfigOption<?> option) {
    return SECRET_FILES.get(option.key());
  }

  /** The options of every list, each once, in order. */
  @SafeVarargs
  public static List<ConfigOption<?>> union(List<ConfigOption<?>>... lists) {
    Set<ConfigOption<?>> all = new LinkedHashSet<>();
    for (List<ConfigOption<?>> list : lists) {
      all.addAll(list);
    }
    return List.copyOf(all);
  }

  private static <T> ConfigOption<T> option(ConfigOption<T> option, Accepts<T> accepts) {
    ACCEPTS.put(option.key(), accepts);
    ALL.add(option);
    return option;
  }
}
