package dev.streamhighlights.local;

import static dev.streamhighlights.job.config.JobOptions.*;

import com.mongodb.MongoException;
import dev.streamhighlights.job.config.ConfigException;
import dev.streamhighlights.local.web.HighlightsWeb;
import dev.streamhighlights.simulator.TwitchSimulator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.configuration.ReadableConfig;

/**
 * The simulated Twitch, the embedded MongoDB and the highlights page on their own, for a cluster on
 * this machine.
 */
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

  /**
   * The {@code web} command: the highlights page on MONGO_URI, or on the embedded data in {@code
   * --data-dir} (which a running demo holds: it serves the page itself).
   */
  static void web(ReadableConfig options) throws Exception {
    String uri = options.get(MONGO_URI);
    String where = "(from MONGO_URI)";
    if (uri == null) {
      Path dataDir = Path.of(options.get(DATA_DIR)).toAbsolutePath().resolve("mongo");
      EmbeddedMongo embedded;
      try {
        embedded = EmbeddedMongo.start(dataDir);
      } catch (ConfigException e) {
        throw new ConfigException(
            e.getMessage()
                + " (a running demo or run serves this page itself, at its --web-port; or set"
                + " MONGO_URI)");
      }
      Runtime.getRuntime().addShutdownHook(new Thread(embedded::close, "embedded-mongo-stop"));
      uri = embedded.uri();
      where = "embedded, data in " + dataDir;
    }
    HighlightsWeb page = startPage(options, uri);
    Runtime.getRuntime().addShutdownHook(new Thread(page::close, "highlights-page-stop"));
    System.out.printf(
        Locale.ROOT,
        "Highlights page: %s (read-only)%n  MongoDB: %s, database '%s'%n",
        page.url(),
        where,
        options.get(MONGO_DATABASE));
    System.out.print(statusLines(page));
    System.out.println("Ctrl-C stops.");
    System.out.flush();
    Thread.currentThread().join();
  }

  /** The highlights page on {@code uri} as the options ask for it. */
  static HighlightsWeb startPage(ReadableConfig options, String uri) {
    int port = options.get(WEB_PORT);
    String bind = options.get(WEB_BIND_ADDRESS);
    try {
      return HighlightsWeb.open(uri, options.get(MONGO_DATABASE), bind, port);
    } catch (IOException e) {
      throw new ConfigException(
          "--web-port " + port + " on " + bind + " cannot be used: " + e.getMessage());
    }
  }

  /** What the page's start tells about the database: its size and the indexes it lacks. */
  static String statusLines(HighlightsWeb page) {
    Map<String, Object> status;
    try {
      status = page.status();
    } catch (MongoException e) {
      return "  MongoDB is not reachable yet ("
          + e.getClass().getSimpleName()
          + "); the page says so until it is\n";
    }
    String lines = "  " + status.get("highlights") + " highlights stored\n";
    List<?> missing = (List<?>) status.get("missingIndexes");
    if (!missing.isEmpty()) {
      lines +=
          "  note: the highlights collection lacks the indexes the page sorts by ("
              + missing.stream().map(String::valueOf).reduce((a, b) -> a + ", " + b).orElse("")
              + "). The job creates them when it starts; this command only reads, so the page"
              + " works without them but reads a large collection slowly.\n";
    }
    return lines;
  }
}
