package dev.streamhighlights.job;

import dev.streamhighlights.irc.config.Secrets;
import dev.streamhighlights.irc.source.IrcSource;
import dev.streamhighlights.irc.source.IrcSourceBuilder;
import dev.streamhighlights.job.clip.ClipCreatorFactory;
import dev.streamhighlights.job.config.Config;
import dev.streamhighlights.job.config.ConfigException;
import dev.streamhighlights.job.config.Options;
import dev.streamhighlights.job.mongo.MongoClipLedger;
import dev.streamhighlights.job.twitch.HelixClipCreator;
import dev.streamhighlights.job.twitch.HelixSettings;
import dev.streamhighlights.job.twitch.TwitchClips;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** Builds the live Twitch chat source from the options. */
final class LiveChat {

  /** Environment variable with the OAuth token of {@code --chat-nick}. */
  static final String CHAT_TOKEN_ENV = "TWITCH_CHAT_TOKEN";

  private LiveChat() {}

  /**
   * The clip stage of a live run: Twitch clips by Helix (status {@code no-credentials} while none
   * are configured). The request deadline leaves the confirmation (plus its 4 s grace for polls
   * held by limits) and 1 s of margin inside the async operator's timeout, so the operator's
   * timeout only fires when Twitch hangs.
   */
  static ClipCreatorFactory clips(Config config, String defaultTokenStore) {
    String store = config.get(Options.TWITCH_TOKEN_STORE);
    return clips(
        config,
        stripSlash(config.get(Options.HELIX_URL)),
        stripSlash(config.get(Options.AUTH_URL)),
        Secrets.environment(),
        config.get(Options.TWITCH_SECRETS_FILE),
        store != null ? store : defaultTokenStore);
  }

  /** The clip stage against the given Helix, with credentials from {@code secrets}. */
  static ClipCreatorFactory clips(
      Config config,
      String helixUrl,
      String authUrl,
      Secrets secrets,
      String secretsFile,
      String tokenStore) {
    Duration timeout = config.get(Options.CLIP_TIMEOUT);
    Duration confirm = config.get(Options.CLIP_CONFIRM_WITHIN);
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
            config.get(Options.CLIP_SECONDS),
            confirm,
            config.get(Options.CLIP_POLL_INTERVAL),
            deadline,
            requestTimeout,
            Duration.ofSeconds(8));
    return new TwitchClips(helix, secrets, secretsFile, tokenStore);
  }

  private static String stripSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  static IrcSource source(Config config) {
    String channels = config.get(Options.CHANNELS);
    int top = config.get(Options.TOP);
    if ((channels == null) == (top == 0)) {
      throw new ConfigException(
          "give the channels to watch: --channels a,b,c or --top N (not both)");
    }
    URI endpoint;
    try {
      endpoint = URI.create(config.get(Options.IRC_URI));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("--irc-uri accepts " + Options.IRC_URI.accepts());
    }
    IrcSourceBuilder builder =
        IrcSource.builder()
            .endpoint(endpoint)
            .eventTimeLag(config.get(Options.OUT_OF_ORDERNESS))
            .maxChannelsPerConnection(config.get(Options.CHANNELS_PER_CONNECTION))
            .joinRateLimit(config.get(Options.JOIN_LIMIT), config.get(Options.JOIN_WINDOW))
            .helix(config.get(Options.HELIX_URL), config.get(Options.AUTH_URL));
    if (channels != null) {
      List<String> list =
          Arrays.stream(channels.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
      builder.channels(list);
    } else {
      builder.topStreams(top, config.get(Options.DISCOVERY_INTERVAL));
    }
    if (config.get(Options.CHAT_NICK) != null) {
      builder.login(config.get(Options.CHAT_NICK), CHAT_TOKEN_ENV);
    }
    try {
      return builder.build();
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
  }
}
