package dev.streamhighlights.job.twitch;

import dev.streamhighlights.irc.config.Secrets;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * What clip creation needs from Twitch: the app's client id and secret, and a user access token
 * with {@code clips:edit} with its refresh token. Read from the environment or from a secrets file
 * (Java properties with the same names), never from program arguments; {@link #toString()} never
 * shows a secret.
 */
public record TwitchCredentials(
    String clientId, String clientSecret, String accessToken, String refreshToken) {

  public static final String CLIENT_ID = "TWITCH_CLIENT_ID";
  public static final String CLIENT_SECRET = "TWITCH_CLIENT_SECRET";
  public static final String USER_TOKEN = "TWITCH_USER_TOKEN";
  public static final String REFRESH_TOKEN = "TWITCH_REFRESH_TOKEN";

  /** Credentials found, or what is missing. */
  public record Lookup(TwitchCredentials credentials, String missing) {}

  /**
   * Reads the four values: the secrets file first when given, then the environment. Returns what is
   * missing, by name, when any is.
   */
  public static Lookup load(Secrets env, Path secretsFile) {
    Properties file = new Properties();
    if (secretsFile != null) {
      try (Reader in = Files.newBufferedReader(secretsFile, StandardCharsets.UTF_8)) {
        file.load(in);
      } catch (IOException e) {
        return new Lookup(
            null, "the secrets file " + secretsFile + " cannot be read (" + e.getMessage() + ")");
      }
    }
    List<String> missing = new ArrayList<>();
    String id = value(CLIENT_ID, file, env, missing);
    String secret = value(CLIENT_SECRET, file, env, missing);
    String token = value(USER_TOKEN, file, env, missing);
    String refresh = value(REFRESH_TOKEN, file, env, missing);
    if (!missing.isEmpty()) {
      return new Lookup(
          null,
          String.join(", ", missing)
              + (secretsFile == null
                  ? " (environment)"
                  : " (secrets file " + secretsFile + " or environment)"));
    }
    if (token.startsWith("oauth:")) {
      token = token.substring("oauth:".length());
    }
    return new Lookup(new TwitchCredentials(id, secret, token, refresh), null);
  }

  private static String value(String name, Properties file, Secrets env, List<String> missing) {
    String v = file.getProperty(name);
    if (v == null || v.isBlank()) {
      v = env.get(name);
    }
    if (v == null || v.isBlank()) {
      missing.add(name);
      return null;
    }
    return v.trim();
  }

  public TwitchCredentials withTokens(String access, String refresh) {
    return new TwitchCredentials(clientId, clientSecret, access, refresh);
  }

  @Override
  public String toString() {
    return "TwitchCredentials{clientId=" + clientId + ", secrets hidden}";
  }
}
