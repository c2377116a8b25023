package dev.streamhighlights.job.testing;

import dev.streamhighlights.irc.config.Secrets;
import dev.streamhighlights.job.twitch.HelixSettings;
import dev.streamhighlights.job.twitch.TwitchClips;
import dev.streamhighlights.job.twitch.TwitchCredentials;
import dev.streamhighlights.simulator.HelixServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The fake Helix with one set of credentials, and the job's clip stage pointed at it with short
 * timings, for the tests that run the whole job with clips.
 */
public final class TestHelix {

  public static final String CLIENT_ID = "client";
  public static final String CLIENT_SECRET = "secret";
  public static final String USER_TOKEN = "token-0";
  public static final String REFRESH_TOKEN = "refresh-0";

  private TestHelix() {}

  /** The fake Helix, accepting {@link #USER_TOKEN} until a test expires it. */
  public static HelixServer start() {
    return HelixServer.start(CLIENT_ID, CLIENT_SECRET, USER_TOKEN, REFRESH_TOKEN);
  }

  /** Clips created on {@code helix}; refreshed tokens are stored under {@code dir}. */
  public static TwitchClips clips(HelixServer helix, Path dir) {
    return new TwitchClips(
        new HelixSettings(
            helix.helixBaseUrl(),
            helix.authBaseUrl(),
            30,
            Duration.ofSeconds(5),
            Duration.ofMillis(100),
            Duration.ofSeconds(20),
            Duration.ofSeconds(5),
            Duration.ofMillis(200)),
        Secrets.of(
            Map.of(
                TwitchCredentials.CLIENT_ID, CLIENT_ID,
                TwitchCredentials.CLIENT_SECRET, CLIENT_SECRET,
                TwitchCredentials.USER_TOKEN, USER_TOKEN,
                TwitchCredentials.REFRESH_TOKEN, REFRESH_TOKEN)),
        null,
        dir.resolve("tokens.properties").toString());
  }
}
