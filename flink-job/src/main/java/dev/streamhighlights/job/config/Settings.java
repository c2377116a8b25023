package dev.streamhighlights.job.config;

import static dev.streamhighlights.job.config.JobOptions.*;

import dev.streamhighlights.irc.config.Endpoints;
import dev.streamhighlights.irc.config.Secrets;
import dev.streamhighlights.irc.connection.ChatIdentity;
import dev.streamhighlights.irc.discovery.ChannelsFile;
import dev.streamhighlights.irc.source.IrcSource;
import dev.streamhighlights.irc.source.IrcSourceBuilder;
import dev.streamhighlights.job.PipelineSettings;
import dev.streamhighlights.job.backtest.ChatLog;
import dev.streamhighlights.job.clip.ClipCreatorFactory;
import dev.streamhighlights.job.detect.ChannelTuning;
import dev.streamhighlights.job.detect.DetectorModel;
import dev.streamhighlights.job.detect.ExcessRule;
import dev.streamhighlights.job.detect.SeedRule;
import dev.streamhighlights.job.kafka.KafkaPosition;
import dev.streamhighlights.job.kafka.KafkaSettings;
import dev.streamhighlights.job.mongo.MongoClipLedger;
import dev.streamhighlights.job.twitch.HelixClipCreator;
import dev.streamhighlights.job.twitch.HelixSettings;
import dev.streamhighlights.job.twitch.TwitchClips;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;

/**
 * Turns the options into the typed settings that sources, operators and sinks take. The only place
 * besides {@link CommandLine} that knows option names: errors of the domain code are reported here
 * as one line naming the option.
 */
public final class Settings {

  /** Environment variable with the OAuth token of {@code --chat-nick}. */
  public static final String CHAT_TOKEN_ENV = "TWITCH_CHAT_TOKEN";

  private Settings() {}

  /** The detection and clip timing settings. */
  public static PipelineSettings pipeline(ReadableConfig c) {
    String rule = c.get(RULE).ruleName();
    Map<String, ChannelTuning> tuning =
        c.getOptional(CHANNEL_TUNING)
            .map(file -> naming(CHANNEL_TUNING, () -> ChannelTuning.read(Path.of(file))))
            .orElse(Map.of());
    if (!tuning.isEmpty() && SeedRule.NAME.equals(rule)) {
      throw new ConfigException(
          "--channel-tuning tunes the excess and variance rules, not the seed rule");
    }
    if (ExcessRule.NAME.equals(rule)) {
      for (ConfigOption<?> other : List.of(HISTORY_WINDOWS, MIN_COUNT)) {
        if (c.getOptional(other).isPresent()) {
          throw new ConfigException(
              "--"
                  + other.key()
                  + " is a setting of the seed and variance rules; the excess rule (the default)"
                  + " takes its baseline from --detector-model and a fewest count per channel from"
                  + " --channel-tuning (or use --rule variance)");
        }
      }
    }
    DetectorModel model =
        c.getOptional(DETECTOR_MODEL)
            .map(file -> naming(DETECTOR_MODEL, () -> DetectorModel.read(Path.of(file))))
            .orElseGet(DetectorModel::shipped);
    return new PipelineSettings(
        rule,
        c.get(WINDOW),
        c.get(HISTORY_WINDOWS),
        c.getOptional(THRESHOLD).orElse(Double.NaN),
        c.get(MIN_COUNT),
        model,
        c.get(CLIPS_PER_HOUR),
        c.get(CONFIRM_SURGES),
        c.get(CONFIRM_WITHIN),
        c.get(COOLDOWN),
        c.get(STATE_RETENTION),
        c.get(OUT_OF_ORDERNESS),
        c.get(IDLENESS),
        c.get(CLIP_SECONDS),
        c.getOptional(CLIP_MAX_AGE)
            .orElseGet(
                () -> PipelineSettings.defaultClipMaxAge(c.get(CLIP_SECONDS), c.get(WINDOW))),
        c.get(CLIP_TIMEOUT),
        c.get(CLIP_CAPACITY),
        tuning);
  }

  /** Kafka settings, or null when {@code --kafka-bootstrap-servers} is unset. */
  public static KafkaSettings kafka(ReadableConfig c) {
    return kafka(c, "job");
  }

  /**
   * Kafka settings for {@code command} (demo, run, job, ...): the command names the default
   * transactional id prefix, so a demo never fences a cluster job's producer on a shared Kafka.
   */
  public static KafkaSettings kafka(ReadableConfig c, String command) {
    String servers = c.get(KAFKA_BOOTSTRAP_SERVERS);
    if (servers == null) {
      return null;
    }
    return new KafkaSettings(
        servers,
        readProperties(c.get(KAFKA_PROPERTIES_FILE)),
        c.get(KAFKA_CHAT_TOPIC),
        c.get(KAFKA_HIGHLIGHTS_TOPIC),
        c.get(KAFKA_GROUP_ID),
        c.getOptional(KAFKA_TRANSACTIONAL_ID_PREFIX).orElse("stream-highlights-" + command));
  }

  /** Like {@link #kafka} but says which option is missing when Kafka is needed. */
  public static KafkaSettings requireKafka(ReadableConfig c, String why) {
    KafkaSettings settings = kafka(c);
    if (settings == null) {
      throw new ConfigException(
          why + " needs --kafka-bootstrap-servers (or KAFKA_BOOTSTRAP_SERVERS)");
    }
    return settings;
  }

  /** A position in the chat topic ({@code --kafka-start}, {@code --kafka-from}, ...). */
  public static KafkaPosition position(ReadableConfig c, ConfigOption<String> option) {
    try {
      return KafkaPosition.parse(c.get(option));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("--" + option.key() + " accepts " + e.getMessage());
    }
  }

  /** A recorded chat log ({@code --chat}). */
  public static ChatLog chatLog(ReadableConfig c) {
    String file = CommandLine.require(c, CHAT_FILE);
    return naming(CHAT_FILE, () -> ChatLog.read(Path.of(file)));
  }

  /** The live Twitch chat source of a job whose source runs in one subtask. */
  public static IrcSource chatSource(ReadableConfig c) {
    return chatSource(c, 1);
  }

  /**
   * The live Twitch chat source: {@code --channels}, {@code --channels-file} or {@code --top}. The
   * channels file is read here, on the client that submits the job: a wrong line is an error at
   * submission, the file need not exist on the cluster, and the list travels in the job graph
   * (about 3.2 MB for 100,000 logins, see docs/operations.md). Without {@code
   * --anonymous-identities} and {@code --chat-nick} each of the source's {@code parallelism}
   * readers gets an anonymous identity of its own.
   */
  public static IrcSource chatSource(ReadableConfig c, int parallelism) {
    String channels = c.get(CHANNELS);
    String channelsFile = c.get(CHANNELS_FILE);
    String top = c.get(TOP);
    long given = Stream.of(channels, channelsFile, top).filter(v -> v != null).count();
    if (given != 1) {
      throw new ConfigException(
          "give the channels to watch with exactly one of --channels a,b,c, --channels-file FILE"
              + " or --top N|all"
              + (given > 1 ? " (not several)" : ""));
    }
    URI endpoint;
    try {
      endpoint = URI.create(c.get(IRC_URI));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("--irc-uri accepts " + JobOptions.accepts(IRC_URI).text());
    }
    checkChatLogin(c);
    IrcSourceBuilder builder =
        IrcSource.builder()
            .endpoint(endpoint)
            .eventTimeLag(c.get(OUT_OF_ORDERNESS))
            .maxChannelsPerConnection(c.get(CHANNELS_PER_CONNECTION))
            .helix(c.get(HELIX_URL), c.get(AUTH_URL));
    if (channels != null) {
      List<String> list =
          Arrays.stream(channels.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
      builder.channels(list);
    } else if (channelsFile != null) {
      builder.channels(naming(CHANNELS_FILE, () -> ChannelsFile.read(Path.of(channelsFile))));
    } else if (top.strip().equalsIgnoreCase(ALL_STREAMS)) {
      if (c.get(DISCOVERY_INTERVAL).compareTo(IrcSourceBuilder.MIN_ALL_STREAMS_INTERVAL) < 0) {
        throw new ConfigException(
            "--discovery-interval with --top all must be at least "
                + Accepts.format(IrcSourceBuilder.MIN_ALL_STREAMS_INTERVAL)
                + " (one listing of every live stream takes more than a minute), not "
                + Accepts.format(c.get(DISCOVERY_INTERVAL)));
      }
      builder.allLiveStreams(c.get(DISCOVERY_INTERVAL));
    } else {
      builder.topStreams(Integer.parseInt(top.strip()), c.get(DISCOVERY_INTERVAL));
    }
    if (c.get(CHAT_NICK) != null) {
      builder
          .login(c.get(CHAT_NICK), CHAT_TOKEN_ENV)
          .loginLimits(c.get(CHAT_JOIN_LIMIT), c.get(JOIN_WINDOW), c.get(CHAT_CHANNEL_CAP));
    }
    Integer anonymous = c.get(ANONYMOUS_IDENTITIES);
    Integer anonymousCap = c.get(ANONYMOUS_CHANNEL_CAP);
    builder.anonymousIdentities(
        anonymous != null ? anonymous : c.get(CHAT_NICK) == null ? Math.max(1, parallelism) : 0,
        c.get(JOIN_LIMIT),
        c.get(JOIN_WINDOW),
        anonymousCap != null ? anonymousCap : ChatIdentity.NO_CAP);
    try {
      return builder.build();
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
  }

  /** A chat login sends its OAuth token: over TLS, or to this machine only. */
  public static void checkChatLogin(ReadableConfig c) {
    if (c.get(CHAT_NICK) == null) {
      return;
    }
    String irc = c.get(IRC_URI);
    URI uri;
    try {
      uri = new URI(irc);
    } catch (URISyntaxException e) {
      return; // the source names a malformed --irc-uri
    }
    if (!Endpoints.isTlsOrLocalChat(uri)) {
      throw new ConfigException(
          "--irc-uri with --chat-nick (the login sends "
              + CHAT_TOKEN_ENV
              + ") accepts "
              + Endpoints.TLS_CHAT_ACCEPTS
              + ", not '"
              + irc
              + "'");
    }
  }

  /**
   * The clip stage of a live run: Twitch clips by Helix (status {@code no-credentials} while none
   * are configured), credentials from the environment or {@code --twitch-secrets-file}.
   */
  public static ClipCreatorFactory clips(ReadableConfig c, String defaultTokenStore) {
    return clips(
        c,
        stripSlash(c.get(HELIX_URL)),
        stripSlash(c.get(AUTH_URL)),
        Secrets.environment(),
        c.get(TWITCH_SECRETS_FILE),
        c.getOptional(TWITCH_TOKEN_STORE).orElse(defaultTokenStore));
  }

  /**
   * The clip stage against the given Helix, with credentials from {@code secrets}. The request
   * deadline leaves the confirmation (plus its 4 s grace for polls held by limits) and margin
   * inside the async operator's timeout, so the operator's timeout only fires when Twitch hangs.
   */
  public static ClipCreatorFactory clips(
      ReadableConfig c,
      String helixUrl,
      String authUrl,
      Secrets secrets,
      String secretsFile,
      String tokenStore) {
    Duration timeout = c.get(CLIP_TIMEOUT);
    Duration confirm = c.get(CLIP_CONFIRM_WITHIN);
    Duration requestTimeout = Duration.ofSeconds(10);
    // The last POST may start at the deadline and take its own timeout, the confirmation its time
    // plus the grace for polls held by limits, and the ledger's claim came before: all of it must
    // end before the async operator's timeout, or a clip that exists is stored as 'timeout'.
    Duration deadline =
        timeout
            .minus(confirm)
            .minusMillis(HelixClipCreator.CONFIRM_GRACE_NANOS / 1_000_000)
            .minus(requestTimeout)
            .minusMillis(MongoClipLedger.SERVER_WAIT_MS);
    if (deadline.compareTo(Duration.ofSeconds(5)) < 0) {
      long least =
          confirm
              .plusMillis(HelixClipCreator.CONFIRM_GRACE_NANOS / 1_000_000)
              .plus(requestTimeout)
              .plusMillis(MongoClipLedger.SERVER_WAIT_MS)
              .plusSeconds(5)
              .toSeconds();
      throw new ConfigException(
          "--clip-timeout must be at least --clip-confirm-within + "
              + (least - confirm.toSeconds())
              + " s (now "
              + timeout.toSeconds()
              + " s and "
              + confirm.toSeconds()
              + " s)");
    }
    HelixSettings helix =
        new HelixSettings(
            helixUrl,
            authUrl,
            c.get(CLIP_SECONDS),
            confirm,
            c.get(CLIP_POLL_INTERVAL),
            deadline,
            requestTimeout,
            Duration.ofSeconds(8));
    return new TwitchClips(helix, secrets, secretsFile, tokenStore);
  }

  private static String stripSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  private static Map<String, String> readProperties(String file) {
    if (file == null) {
      return Map.of();
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException e) {
      throw new ConfigException("--kafka-properties-file cannot read " + file + ": " + e);
    }
    Map<String, String> m = new TreeMap<>();
    p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
    return m;
  }

  /**
   * Runs {@code read}; an {@link IllegalArgumentException} becomes one line naming {@code option}.
   */
  private static <T> T naming(ConfigOption<?> option, java.util.function.Supplier<T> read) {
    try {
      return read.get();
    } catch (IllegalArgumentException e) {
      throw new ConfigException("--" + option.key() + " " + e.getMessage());
    }
  }
}
