package dev.streamhighlights.local;

import static dev.streamhighlights.job.config.JobOptions.*;

import dev.streamhighlights.simulator.TwitchSimulator;
import java.nio.file.Path;
import org.apache.flink.configuration.ReadableConfig;

/** The simulated Twitch and the embedded MongoDB on their own, for a cluster on this machine. */
final class Servers {

  private Servers() {}

  /** The {@code simulate} command. */
  static void simulate(ReadableConfig options) throws Exception {
    TwitchSimulator twitch = Demo.startSimulator(options);
    System.out.println("chat   " + twitch.ircUri());
    System.out.println("helix  " + twitch.helixBaseUrl());
    System.out.println("auth   " + twitch.authBaseUrl());
    System.out.println("channels " + String.join(",", twitch.channels()));
    System.out.println(
        "credentials TWITCH_CLIENT_ID="
            + TwitchSimulator.CLIENT_ID
            + " TWITCH_CLIENT_SECRET="
            + TwitchSimulator.CLIENT_SECRET
            + " TWITCH_USER_TOKEN="
            + TwitchSimulator.USER_TOKEN
            + " TWITCH_REFRESH_TOKEN="
            + TwitchSimulator.REFRESH_TOKEN
            + " (simulator values, not secrets)");
    System.out.flush();
    Thread.currentThread().join();
  }

  /** The {@code mongo} command: the embedded server, for clusters here and looking at the data. */
  static void mongo(ReadableConfig options) throws Exception {
    Path dataDir = Path.of(options.get(DATA_DIR)).toAbsolutePath().resolve("mongo");
    EmbeddedMongo mongo = EmbeddedMongo.start(dataDir, options.get(MONGO_PORT));
    Runtime.getRuntime().addShutdownHook(new Thread(mongo::close, "embedded-mongo-stop"));
    System.out.println("MongoDB-compatible server at " + mongo.uri() + ", data in " + dataDir);
    Thread.currentThread().join();
  }
}
