package dev.streamhighlights.job.config;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;

/**
 * Reads the {@link JobOptions} a command knows, once, into a checked Flink {@link Configuration}:
 * from {@code --key value} arguments, then the options' environment variables, then {@code
 * stream-highlights.key} in the Flink configuration, then the defaults. A bad value is one line
 * naming the option and what it accepts. Secrets come from the environment, a file or the Flink
 * configuration, never from arguments that the Flink web UI shows.
 */
public final class CommandLine {

  private static final Pattern PASSWORD_IN_URI = Pattern.compile("^[a-z+]+://[^/@]*:[^/@]*@.*");
  private static final Pattern BARE_NUMBER = Pattern.compile("\\s*\\d+\\s*");

  private CommandLine() {}

  /**
   * The options {@code known} from arguments and the environment; throws {@link ConfigException}.
   */
  public static Configuration parse(
      String[] args, Map<String, String> env, List<ConfigOption<?>> known) {
    return parse(args, env, new Configuration(), known);
  }

  /**
   * The options {@code known} from arguments, the environment and {@code flink}, the configuration
   * the job is submitted with ({@code config.yaml}, {@code -D}).
   */
  public static Configuration parse(
      String[] args, Map<String, String> env, ReadableConfig flink, List<ConfigOption<?>> known) {
    Map<String, ConfigOption<?>> byKey = new HashMap<>();
    known.forEach(o -> byKey.put(o.key(), o));
    Map<String, String> given = new HashMap<>();
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
      ConfigOption<?> option = byKey.get(name);
      if (option == null) {
        throw new ConfigException(
            "unknown option --" + name + "; this command accepts " + flags(known));
      }
      refusePassword(option, value, "on the command line (the Flink web UI shows arguments)");
      given.put(name, value);
    }
    checkPrefixedKeys(flink);
    Configuration conf = new Configuration();
    for (ConfigOption<?> option : known) {
      String raw = given.get(option.key());
      if (raw == null && JobOptions.envVariable(option) != null) {
        raw = env.get(JobOptions.envVariable(option));
      }
      if (raw == null) {
        raw =
            flink
                .getOptional(key(JobOptions.PREFIX + option.key()).stringType().noDefaultValue())
                .orElse(null);
        if (raw != null) {
          refusePassword(
              option,
              raw,
              "in the Flink configuration (the Flink web UI shows it as "
                  + JobOptions.PREFIX
                  + option.key()
                  + ")");
        }
      }
      if (raw != null) {
        set(conf, option, raw);
      }
    }
    readSecretFiles(conf, known);
    return conf;
  }

  /** The defaults of {@code known}. */
  public static Configuration defaults(List<ConfigOption<?>> known) {
    return parse(new String[0], Map.of(), known);
  }

  /** The value, or a one-line error saying the option is required. */
  public static <T> T require(ReadableConfig conf, ConfigOption<T> option) {
    Optional<T> value = conf.getOptional(option);
    if (value.isEmpty()) {
      throw new ConfigException(
          "--" + option.key() + " is required: " + JobOptions.accepts(option).text());
    }
    return value.get();
  }

  /** {@code --key} of each option. */
  private static String flags(List<ConfigOption<?>> options) {
    return String.join(" ", options.stream().map(o -> "--" + o.key()).toList());
  }

  private static void refusePassword(ConfigOption<?> option, String value, String where) {
    if (isSecret(option) && PASSWORD_IN_URI.matcher(value.trim()).matches()) {
      throw new ConfigException(
          "--"
              + option.key()
              + " must not carry a password "
              + where
              + "; set "
              + JobOptions.envVariable(option)
              + " or use --"
              + JobOptions.secretFileKey(option));
    }
  }

  private static <T> void set(Configuration conf, ConfigOption<T> option, String raw) {
    if (JobOptions.accepts(option).needsUnit() && BARE_NUMBER.matcher(raw).matches()) {
      throw invalid(option, raw);
    }
    T value;
    try {
      value = Configuration.fromMap(Map.of(option.key(), raw.trim())).get(option);
    } catch (IllegalArgumentException e) {
      throw invalid(option, raw);
    }
    if (value == null || !JobOptions.accepts(option).test(value)) {
      throw invalid(option, raw);
    }
    conf.set(option, value);
  }

  private static void readSecretFiles(Configuration conf, List<ConfigOption<?>> known) {
    for (ConfigOption<?> option : known) {
      String fileKey = JobOptions.secretFileKey(option);
      if (fileKey == null) {
        continue;
      }
      Optional<String> file = conf.getOptional(key(fileKey).stringType().noDefaultValue());
      if (file.isPresent()) {
        Path path = Path.of(file.get());
        String value;
        try {
          value = Files.readString(path, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
          throw new ConfigException(
              "--" + fileKey + " cannot read " + path + ": " + e.getMessage());
        }
        set(conf, option, value);
      }
    }
  }

  /**
   * A misspelt {@code stream-highlights.*} key in the Flink configuration is an error, not a no-op.
   */
  private static void checkPrefixedKeys(ReadableConfig flink) {
    if (!(flink instanceof Configuration c)) {
      return;
    }
    List<String> keys = JobOptions.all().stream().map(o -> JobOptions.PREFIX + o.key()).toList();
    for (String key : c.keySet()) {
      if (key.startsWith(JobOptions.PREFIX) && !keys.contains(key)) {
        throw new ConfigException(
            "unknown option "
                + key
                + " in the Flink configuration; options are "
                + JobOptions.PREFIX
                + "<option> for each of "
                + flags(JobOptions.all()));
      }
    }
  }

  private static boolean isSecret(ConfigOption<?> option) {
    return JobOptions.secretFileKey(option) != null;
  }

  private static ConfigException invalid(ConfigOption<?> option, String raw) {
    String accepts = JobOptions.accepts(option).text();
    if (isSecret(option)) {
      return new ConfigException("--" + option.key() + " accepts " + accepts);
    }
    String shown = raw.length() > 40 ? raw.substring(0, 40) + "..." : raw;
    return new ConfigException(
        "--" + option.key() + " accepts " + accepts + ", not '" + shown + "'");
  }
}
