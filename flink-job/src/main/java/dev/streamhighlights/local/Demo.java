package dev.streamhighlights.local;

import static dev.streamhighlights.job.config.JobOptions.*;

import dev.streamhighlights.irc.config.Secrets;
import dev.streamhighlights.irc.source.IrcSource;
import dev.streamhighlights.irc.source.IrcSourceBuilder;
import dev.streamhighlights.job.ChatInput;
import dev.streamhighlights.job.HighlightPipeline;
import dev.streamhighlights.job.clip.ClipCreatorFactory;
import dev.streamhighlights.job.config.ConfigException;
import dev.streamhighlights.job.config.Settings;
import dev.streamhighlights.job.twitch.TwitchCredentials;
import dev.streamhighlights.simulator.TwitchSimulator;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.configuration.ReadableConfig;

/**
 * The demo: the real job (IRC source, Helix clips, MongoDB) against a Twitch simulated on this
 * machine. The job gets the simulator's endpoints and credentials exactly as it would get real
 * ones.
 */
final class Demo {

  private Demo() {}

  static void run(ReadableConfig options) throws Exception {
    String replay = options.get(REPLAY);
    TwitchSimulator twitch = startSimulator(options);
    IrcSource source =
        IrcSource.builder()
            .topStreams(twitch.channels().size(), Duration.ofMinutes(1))
            // A replay faster than real time stamps chat ahead of the clock on purpose.
            .eventTimeLag(
                replay != null && options.get(REPLAY_SPEED) != 1.0
                    ? null
                    : options.get(OUT_OF_ORDERNESS))
            .endpoint(twitch.ircUri())
            .helix(twitch.helixBaseUrl(), twitch.authBaseUrl())
            .secrets(
                Secrets.of(
                    Map.of(
                        IrcSourceBuilder.CLIENT_ID_ENV, TwitchSimulator.CLIENT_ID,
                        IrcSourceBuilder.CLIENT_SECRET_ENV, TwitchSimulator.CLIENT_SECRET)))
            .build();
    ClipCreatorFactory clips =
        Settings.clips(
            options,
            twitch.helixBaseUrl(),
            twitch.authBaseUrl(),
            Secrets.of(
                Map.of(
                    TwitchCredentials.CLIENT_ID, TwitchSimulator.CLIENT_ID,
                    TwitchCredentials.CLIENT_SECRET, TwitchSimulator.CLIENT_SECRET,
                    TwitchCredentials.USER_TOKEN, TwitchSimulator.USER_TOKEN,
                    TwitchCredentials.REFRESH_TOKEN, TwitchSimulator.REFRESH_TOKEN)),
            null,
            null);
    String banner =
        String.format(
            Locale.ROOT,
            "Stream Highlights demo: %d channels on a simulated Twitch (%s), chat at %s.",
            twitch.channels().size(),
            replay == null
                ? "generated chat, about " + options.get(SIMULATED_RATE) + " messages/s"
                : "replaying " + replay + " at " + options.get(REPLAY_SPEED) + "x",
            twitch.ircUri());
    try {
      LocalRun.runLocally(
          options,
          new ChatInput(source, HighlightPipeline.UID_SOURCE),
          clips,
          banner,
          "demo",
          new SimulatorProgress(twitch));
    } finally {
      twitch.close();
    }
  }

  /** The simulated Twitch the options ask for, stopped with the JVM. */
  static TwitchSimulator startSimulator(ReadableConfig options) {
    String replay = options.get(REPLAY);
    TwitchSimulator twitch;
    if (replay == null) {
      twitch =
          TwitchSimulator.generated(
              options.get(SIMULATED_CHANNELS), options.get(SIMULATED_RATE), 20181010L);
    } else {
      try {
        twitch = TwitchSimulator.replay(Path.of(replay), options.get(REPLAY_SPEED));
      } catch (IOException e) {
        throw new ConfigException("--replay " + replay + " cannot be read: " + e.getMessage());
      }
    }
    Runtime.getRuntime().addShutdownHook(new Thread(twitch::close, "twitch-simulator-stop"));
    return twitch;
  }

  /** Joins, chat rate and clips as the simulated Twitch sees them. */
  private static final class SimulatorProgress implements LocalRun.Progress {
    private final TwitchSimulator twitch;
    private long lastSent;
    private long lastAt = System.nanoTime();

    SimulatorProgress(TwitchSimulator twitch) {
      this.twitch = twitch;
    }

    @Override
    public String line(long highlights) {
      long sent = twitch.messagesSent();
      long now = System.nanoTime();
      double rate = (sent - lastSent) / ((now - lastAt) / 1e9);
      lastSent = sent;
      lastAt = now;
      return String.format(
          Locale.ROOT,
          "progress   %d/%d channels joined, %.0f messages/s, %d highlights stored, %d clips"
              + " created",
          twitch.channelsJoined(),
          twitch.channels().size(),
          rate,
          highlights,
          twitch.clipsCreated());
    }
  }
}
