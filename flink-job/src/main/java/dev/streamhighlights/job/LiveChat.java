package dev.streamhighlights.job;

import dev.streamhighlights.irc.source.IrcSource;
import dev.streamhighlights.irc.source.IrcSourceBuilder;
import dev.streamhighlights.job.config.Config;
import dev.streamhighlights.job.config.ConfigException;
import dev.streamhighlights.job.config.Options;
import java.net.URI;
import java.util.Arrays;
import java.util.List;

/** Builds the live Twitch chat source from the options. */
final class LiveChat {

  /** Environment variable with the OAuth token of {@code --chat-nick}. */
  static final String CHAT_TOKEN_ENV = "TWITCH_CHAT_TOKEN";

  private LiveChat() {}

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
