package dev.streamhighlights.job.config;

import dev.streamhighlights.irc.config.Endpoints;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Configuration parsed once from {@code --name value} arguments and the environment into typed
 * values. Secrets come from the environment or a file, never from arguments that the Flink web UI
 * would show.
 */
public final class Config {

  private static final Pattern PASSWORD_IN_URI = Pattern.compile("^[a-z+]+://[^/@]*:[^/@]*@.*");

  private final List<Option<?>> known;
  private final Map<String, Object> values;

  private Config(List<Option<?>> known, Map<String, Object> values) {
    this.known = known;
    this.values = values;
  }

  /** Parses {@code args} against the {@code known} options; throws {@link ConfigException}. */
  public static Config parse(String[] args, Map<String, String> env, List<Option<?>> known) {
    Map<String, Option<?>> byName = new HashMap<>();
    known.forEach(o -> byName.put(o.name(), o));
    Map<String, String> raw = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--") || arg.length() == 2) {
        throw new ConfigException(
            "unexpected argument '" + arg + "'; options look like --name value");
      }
      String name = arg.substring(2);
      String value;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new ConfigException("--" + name + " needs a value");
      }
      Option<?> option = byName.get(name);
      if (option == null) {
        throw new ConfigException(
            "unknown option --" + name + "; this command accepts " + names(known));
      }
      if (option.isSecret() && looksLikeItHoldsAPassword(value)) {
        throw new ConfigException(
            "--"
                + name
                + " must not carry a password on the command line (the Flink web UI shows"
                + " arguments); set "
                + option.envVariable()
                + " or use --"
                + name
                + "-file");
      }
      raw.put(name, value);
    }
    Map<String, Object> values = new HashMap<>();
    for (Option<?> option : known) {
      String given = raw.get(option.name());
      if (given == null && option.envVariable() != null) {
        given = env.get(option.envVariable());
      }
      if (given != null) {
        values.put(option.name(), parseValue(option, given));
      } else if (option.defaultValue() != null) {
        values.put(option.name(), option.defaultValue());
      }
    }
    Config config = new Config(known, values);
    config.readSecretFiles();
    config.checkChatLogin();
    return config;
  }

  /** The configuration of only defaults (tests, generated documentation). */
  public static Config defaults(List<Option<?>> known) {
    return parse(new String[0], Map.of(), known);
  }

  @SuppressWarnings("unchecked")
  public <T> T get(Option<T> option) {
    if (!known.contains(option)) {
      throw new IllegalArgumentException(
          "option --" + option.name() + " is not part of this command");
    }
    return (T) values.get(option.name());
  }

  /** The value, or the option's default when this command does not take the option. */
  @SuppressWarnings("unchecked")
  public <T> T getOrDefault(Option<T> option) {
    return known.contains(option) ? get(option) : (T) option.defaultValue();
  }

  /** The value, or a one-line error saying the option is required. */
  public <T> T require(Option<T> option) {
    T value = get(option);
    if (value == null) {
      throw new ConfigException(option.flag() + " is required: " + option.accepts());
    }
    return value;
  }

  private void readSecretFiles() {
    if (known.contains(Options.MONGO_URI_FILE)
        && values.get(Options.MONGO_URI_FILE.name()) != null) {
      Path file = Path.of((String) values.get(Options.MONGO_URI_FILE.name()));
      String uri;
      try {
        uri = Files.readString(file, StandardCharsets.UTF_8).trim();
      } catch (IOException e) {
        throw new ConfigException("--mongo-uri-file cannot read " + file + ": " + e.getMessage());
      }
      values.put(Options.MONGO_URI.name(), parseValue(Options.MONGO_URI, uri));
    }
    Object uri = values.get(Options.MONGO_URI.name());
    if (uri != null && !((String) uri).matches("^mongodb(\\+srv)?://.+")) {
      throw new ConfigException("--mongo-uri accepts " + Options.MONGO_URI.accepts());
    }
  }

  /** A chat login sends its OAuth token: over TLS, or to this machine only. */
  private void checkChatLogin() {
    if (!known.contains(Options.CHAT_NICK) || values.get(Options.CHAT_NICK.name()) == null) {
      return;
    }
    String irc = (String) values.get(Options.IRC_URI.name());
    URI uri;
    try {
      uri = new URI(irc);
    } catch (URISyntaxException e) {
      return; // the source names a malformed --irc-uri
    }
    if (!Endpoints.isTlsOrLocalChat(uri)) {
      throw new ConfigException(
          "--irc-uri with --chat-nick (the login sends TWITCH_CHAT_TOKEN) accepts "
              + Endpoints.TLS_CHAT_ACCEPTS
              + ", not '"
              + irc
              + "'");
    }
  }

  private static Object parseValue(Option<?> option, String raw) {
    try {
      return option.parse(raw);
    } catch (ConfigException e) {
      if (option.isSecret()) {
        throw new ConfigException(option.flag() + " accepts " + option.accepts());
      }
      throw e;
    }
  }

  private static boolean looksLikeItHoldsAPassword(String value) {
    return PASSWORD_IN_URI.matcher(value.trim()).matches();
  }

  private static String names(List<Option<?>> known) {
    return String.join(" ", known.stream().map(Option::flag).toList());
  }
}
