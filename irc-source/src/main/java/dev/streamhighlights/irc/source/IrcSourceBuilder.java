package dev.streamhighlights.irc.source;

import dev.streamhighlights.irc.config.Endpoints;
import dev.streamhighlights.irc.config.Secrets;
import dev.streamhighlights.irc.connection.ChatIdentity;
import dev.streamhighlights.irc.connection.ChatSettings;
import dev.streamhighlights.irc.discovery.ChannelDiscovery;
import dev.streamhighlights.irc.discovery.TopStreams;
import dev.streamhighlights.irc.protocol.IrcCommands;
import dev.streamhighlights.irc.reader.IrcSourceReader;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Builds an {@link IrcSource}. Defaults are Twitch's real endpoints and limits; {@link #build()}
 * checks every setting and names what is wrong.
 */
public final class IrcSourceBuilder {

  private Duration eventTimeLag = IrcSourceReader.DEFAULT_EVENT_TIME_LAG;

  public static final URI TWITCH_IRC = URI.create("ircs://irc.chat.twitch.tv:6697");
  public static final String TWITCH_HELIX = "https://api.twitch.tv/helix";
  public static final String TWITCH_AUTH = "https://id.twitch.tv/oauth2";

  /** Channels a logged-in Twitch account may hold joined at once (2024). */
  public static final int TWITCH_LOGIN_MAX_CHANNELS = 100;

  /** Where the Twitch app's client id and secret are read (for the top streams). */
  public static final String CLIENT_ID_ENV = "TWITCH_CLIENT_ID";

  public static final String CLIENT_SECRET_ENV = "TWITCH_CLIENT_SECRET";

  /** More would be a lot of connections for one job; Twitch may see it as abuse. */
  public static final int MAX_ANONYMOUS_IDENTITIES = 1_000;

  /** The shortest refresh of every live stream: a listing of ~100,000 takes ~80 s at 800/min. */
  public static final Duration MIN_ALL_STREAMS_INTERVAL = Duration.ofMinutes(2);

  private URI endpoint = TWITCH_IRC;
  private List<String> channels;
  private int topStreams;
  private String helixBaseUrl = TWITCH_HELIX;
  private String authBaseUrl = TWITCH_AUTH;
  private Duration discoveryInterval = Duration.ofMinutes(5);
  private String nick;
  private String tokenEnv;
  private int loginJoinLimit = 20;
  private Duration loginJoinWindow = Duration.ofSeconds(10);
  private int loginMaxChannels = TWITCH_LOGIN_MAX_CHANNELS;
  private Integer anonymousIdentities;
  private int anonymousJoinLimit = 20;
  private Duration anonymousJoinWindow = Duration.ofSeconds(10);
  private int anonymousMaxChannels = ChatIdentity.NO_CAP;
  private int maxChannelsPerConnection = 90;
  private Duration silenceBeforePing = Duration.ofSeconds(60);
  private Duration pongTimeout = Duration.ofSeconds(15);
  private Duration maxBackoff = Duration.ofSeconds(60);
  private int loginAttempts = 3;
  private Duration connectTimeout = Duration.ofSeconds(10);
  private Secrets secrets = Secrets.environment();

  IrcSourceBuilder() {}

  /** Where secrets are read by name; the environment unless a test says otherwise. */
  public IrcSourceBuilder secrets(Secrets secrets) {
    this.secrets = secrets;
    return this;
  }

  /** Reads these channels (names with or without '#', any case). */
  public IrcSourceBuilder channels(List<String> channels) {
    this.channels = new ArrayList<>(channels);
    return this;
  }

  /** Reads the top {@code n} live streams (at most 10,000), refreshed every {@code interval}. */
  public IrcSourceBuilder topStreams(int n, Duration interval) {
    this.topStreams = n;
    this.discoveryInterval = interval;
    return this;
  }

  /**
   * Reads every live stream, listed again every {@code interval} (at least {@link
   * #MIN_ALL_STREAMS_INTERVAL}: one listing of Twitch's about 100,000 live streams is about 1,000
   * pages, which the rate limit spreads over more than a minute).
   */
  public IrcSourceBuilder allLiveStreams(Duration interval) {
    return topStreams(TopStreams.ALL, interval);
  }

  /** Where Helix and the OAuth token endpoint live (tests point these at a fake). */
  public IrcSourceBuilder helix(String helixBaseUrl, String authBaseUrl) {
    this.helixBaseUrl = helixBaseUrl;
    this.authBaseUrl = authBaseUrl;
    return this;
  }

  /** The chat server: {@code ircs://host:port}, {@code wss://host}, or irc:// / ws:// for tests. */
  public IrcSourceBuilder endpoint(URI endpoint) {
    this.endpoint = endpoint;
    return this;
  }

  /**
   * Also joins as the account {@code nick}, with the OAuth token in environment variable {@code
   * tokenEnv}; Twitch's limits for an account unless {@link #loginLimits} says otherwise.
   */
  public IrcSourceBuilder login(String nick, String tokenEnv) {
    this.nick = nick;
    this.tokenEnv = tokenEnv;
    return this;
  }

  /**
   * The login's limits: {@code joins} channel JOINs per {@code window} (20 per 10 s for an account,
   * 2,000 for a verified bot) and at most {@code maxChannels} joined at once (100).
   */
  public IrcSourceBuilder loginLimits(int joins, Duration window, int maxChannels) {
    this.loginJoinLimit = joins;
    this.loginJoinWindow = window;
    this.loginMaxChannels = maxChannels;
    return this;
  }

  /**
   * Joins as {@code count} anonymous identities (distinct {@code justinfan<digits>} nicks), each
   * allowed {@code joins} channel JOINs per {@code window} and at most {@code maxChannels} channels
   * ({@link ChatIdentity#NO_CAP} for none). Without this: one such identity at 20 per 10 s without
   * a cap, or none when there is a {@link #login}.
   */
  public IrcSourceBuilder anonymousIdentities(
      int count, int joins, Duration window, int maxChannels) {
    this.anonymousIdentities = count;
    this.anonymousJoinLimit = joins;
    this.anonymousJoinWindow = window;
    this.anonymousMaxChannels = maxChannels;
    return this;
  }

  public IrcSourceBuilder maxChannelsPerConnection(int n) {
    this.maxChannelsPerConnection = n;
    return this;
  }

  /** Ping a connection silent for {@code silence}; reconnect it when the pong does not come. */
  public IrcSourceBuilder watchdog(Duration silence, Duration pongTimeout) {
    this.silenceBeforePing = silence;
    this.pongTimeout = pongTimeout;
    return this;
  }

  public IrcSourceBuilder maxBackoff(Duration maxBackoff) {
    this.maxBackoff = maxBackoff;
    return this;
  }

  public IrcSourceBuilder loginAttempts(int attempts) {
    this.loginAttempts = attempts;
    return this;
  }

  public IrcSourceBuilder connectTimeout(Duration timeout) {
    this.connectTimeout = timeout;
    return this;
  }

  /**
   * How far behind the wall clock event time stands while no chat arrives (default 2 s): use the
   * pipeline's out-of-orderness, since a message later than that is late anyway. Null: the server
   * stamps recorded, not current, times (a replay at another speed, tests): event time moves only
   * with the chat, and messages stamped ahead of the clock are kept instead of dropped.
   */
  public IrcSourceBuilder eventTimeLag(Duration lag) {
    this.eventTimeLag = lag;
    return this;
  }

  public IrcSource build() {
    ChannelDiscovery discovery = discovery();
    String scheme = endpoint == null ? null : endpoint.getScheme();
    if (scheme == null || !List.of("ircs", "wss", "irc", "ws").contains(scheme)) {
      throw new IllegalArgumentException(
          "chat endpoint "
              + endpoint
              + ": use ircs://host:port or wss://host (irc:// and ws:// only for tests)");
    }
    if (endpoint.getHost() == null) {
      throw new IllegalArgumentException("chat endpoint " + endpoint + " has no host");
    }
    positive("maxChannelsPerConnection", maxChannelsPerConnection);
    positive("loginAttempts", loginAttempts);
    positive("silence before ping", silenceBeforePing);
    positive("pong timeout", pongTimeout);
    positive("connect timeout", connectTimeout);
    if (maxBackoff == null || maxBackoff.isNegative()) {
      throw new IllegalArgumentException("max backoff must not be negative");
    }
    ChatSettings chat =
        new ChatSettings(
            endpoint,
            identities(),
            maxChannelsPerConnection,
            silenceBeforePing,
            pongTimeout,
            maxBackoff,
            loginAttempts,
            connectTimeout);
    if (eventTimeLag != null && eventTimeLag.isNegative()) {
      throw new IllegalArgumentException(
          "event time lag must not be negative, not " + eventTimeLag);
    }
    return new IrcSource(chat, discovery, discoveryInterval, secrets, eventTimeLag);
  }

  /** The login first (reader 0 gets it), then the anonymous identities. */
  private List<ChatIdentity> identities() {
    if ((nick == null) != (tokenEnv == null)) {
      throw new IllegalArgumentException(
          "a login needs both a nick and the token's environment variable");
    }
    List<ChatIdentity> identities = new ArrayList<>();
    if (nick != null) {
      IrcCommands.nick(nick);
      if (!Endpoints.isTlsOrLocalChat(endpoint)) {
        throw new IllegalArgumentException(
            "a chat login sends its OAuth token: chat endpoint "
                + endpoint
                + " must be "
                + Endpoints.TLS_CHAT_ACCEPTS);
      }
      positive("login join limit", loginJoinLimit);
      positive("login join window", loginJoinWindow);
      positive("login max channels", loginMaxChannels);
      identities.add(
          new ChatIdentity(
              nick.toLowerCase(java.util.Locale.ROOT),
              tokenEnv,
              loginJoinLimit,
              loginJoinWindow,
              loginMaxChannels));
    }
    int anonymous = anonymousIdentities != null ? anonymousIdentities : nick == null ? 1 : 0;
    if (anonymous < 0 || anonymous > MAX_ANONYMOUS_IDENTITIES) {
      throw new IllegalArgumentException(
          "anonymous identities: from 0 to " + MAX_ANONYMOUS_IDENTITIES + ", not " + anonymous);
    }
    if (anonymous > 0) {
      positive("join limit", anonymousJoinLimit);
      positive("join window", anonymousJoinWindow);
      positive("anonymous max channels", anonymousMaxChannels);
    }
    // Consecutive numbers from a random start: distinct within the job, and unlike another job's.
    long first = ThreadLocalRandom.current().nextLong(10_000, 90_000_000);
    for (int i = 0; i < anonymous; i++) {
      identities.add(
          ChatIdentity.anonymous(
              first + i, anonymousJoinLimit, anonymousJoinWindow, anonymousMaxChannels));
    }
    if (identities.isEmpty()) {
      throw new IllegalArgumentException(
          "no chat identity: give a login or at least one anonymous identity");
    }
    return identities;
  }

  private ChannelDiscovery discovery() {
    boolean fixed = channels != null && !channels.isEmpty();
    if (fixed == (topStreams > 0)) {
      throw new IllegalArgumentException(
          "give either a channel list or a number of top streams, not both or neither");
    }
    if (fixed) {
      Set<String> normalized = new LinkedHashSet<>();
      for (String c : channels) {
        normalized.add(IrcCommands.channel(c));
      }
      return ChannelDiscovery.fixed(List.copyOf(normalized));
    }
    if (topStreams > 10_000 && topStreams != TopStreams.ALL) {
      throw new IllegalArgumentException(
          "top streams: at most 10000 (or all live streams), not " + topStreams);
    }
    positive("discovery interval", discoveryInterval);
    if (topStreams == TopStreams.ALL && discoveryInterval.compareTo(MIN_ALL_STREAMS_INTERVAL) < 0) {
      throw new IllegalArgumentException(
          "the discovery interval of all live streams must be at least "
              + MIN_ALL_STREAMS_INTERVAL.toMinutes()
              + " min (one listing takes more than a minute), not "
              + discoveryInterval.toSeconds()
              + " s");
    }
    httpsOrLocal("Helix URL", helixBaseUrl);
    httpsOrLocal("OAuth URL", authBaseUrl);
    String missing = TopStreams.missingCredentials(secrets, CLIENT_ID_ENV, CLIENT_SECRET_ENV);
    if (missing != null) {
      throw new IllegalArgumentException(missing);
    }
    return new TopStreams(
        topStreams, helixBaseUrl, authBaseUrl, CLIENT_ID_ENV, CLIENT_SECRET_ENV, secrets);
  }

  /** Helix and OAuth calls carry the app's secret and tokens. */
  private static void httpsOrLocal(String what, String url) {
    if (!Endpoints.isHttpsOrLocal(url)) {
      throw new IllegalArgumentException(what + " '" + url + "' is not " + Endpoints.HTTPS_ACCEPTS);
    }
  }

  private static void positive(String what, int n) {
    if (n < 1) {
      throw new IllegalArgumentException(what + " must be at least 1, not " + n);
    }
  }

  private static void positive(String what, Duration d) {
    if (d == null || d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(what + " must be a positive duration, not " + d);
    }
  }
}
