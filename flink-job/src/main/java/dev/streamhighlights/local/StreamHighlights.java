package dev.streamhighlights.local;

import dev.streamhighlights.job.config.CommandLine;
import dev.streamhighlights.job.config.ConfigException;
import dev.streamhighlights.job.mongo.MongoPreflight;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;

/**
 * The local tools: the job on this machine against a simulated or the real Twitch, backtests, and
 * the simulated Twitch and the embedded MongoDB on their own. A cluster runs {@link
 * dev.streamhighlights.job.HighlightsJob} instead.
 */
public final class StreamHighlights {

  static final String USAGE =
      """
      usage: stream-highlights <command> [--option value ...]
        demo          the job on a simulated Twitch on this machine, web UI at http://127.0.0.1:8081,
                      highlights page at http://127.0.0.1:8082
        run           watch live Twitch chat locally: --channels a,b,c or --top 40
        backtest      replay a chat log: --chat FILE --out FILE.jsonl [--rule seed|default]
                      or the Kafka chat topic: --source kafka --out FILE.jsonl
        publish-chat  a chat log (--chat FILE) into the Kafka chat topic
        web           the highlights page alone (http://127.0.0.1:8082) on MONGO_URI or the
                      embedded data; read-only
        mongo         run only the embedded MongoDB-compatible server (--mongo-port, --data-dir)
        simulate      run only the simulated Twitch (chat and Helix), for a job on a cluster
        options       list every option with its default
      Options also come from stream-highlights.<option> in $FLINK_CONF_DIR/config.yaml.
      On a cluster: flink run stream-highlights-job.jar [--option value ...] (MongoDB by MONGO_URI).""";

  private static final String NODELAY = "sun.net.httpserver.nodelay";

  private StreamHighlights() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      System.out.println(USAGE);
      return;
    }
    // The JDK's HTTP server (the highlights page) otherwise leaves small answers to Nagle and the
    // client's delayed ACK: about 40 ms on each API request here. Local commands only: the
    // timing-sensitive tests keep the JDK's default for their fake servers.
    if (System.getProperty(NODELAY) == null) {
      System.setProperty(NODELAY, "true");
    }
    String command = args[0];
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    try {
      switch (command) {
        case "demo" -> Demo.run(options(rest, LocalOptions.DEMO));
        case "run" -> LocalRun.run(options(rest, LocalOptions.RUN));
        case "backtest" -> Backtests.backtest(options(rest, LocalOptions.BACKTEST));
        case "publish-chat" -> Backtests.publishChat(options(rest, LocalOptions.PUBLISH));
        case "web" -> Servers.web(options(rest, LocalOptions.WEB));
        case "mongo" -> Servers.mongo(options(rest, LocalOptions.MONGO));
        case "simulate" -> Servers.simulate(options(rest, LocalOptions.SIMULATE));
        case "options" -> System.out.print(OptionsTable.markdown());
        case "help", "-h", "--help" -> System.out.println(USAGE);
        default -> throw new ConfigException("unknown command '" + command + "'\n" + USAGE);
      }
    } catch (ConfigException | MongoPreflight.RefusedException e) {
      System.err.println("stream-highlights: " + e.getMessage());
      System.exit(2);
    }
  }

  /** The options from {@code args}, the environment and $FLINK_CONF_DIR's config.yaml. */
  static Configuration options(String[] args, List<ConfigOption<?>> known) {
    Map<String, String> env = System.getenv();
    Configuration flink = new Configuration();
    if (env.containsKey("FLINK_CONF_DIR")) {
      try {
        flink = GlobalConfiguration.loadConfiguration(env.get("FLINK_CONF_DIR"));
      } catch (RuntimeException e) {
        throw new ConfigException(
            "FLINK_CONF_DIR " + env.get("FLINK_CONF_DIR") + ": " + e.getMessage());
      }
    }
    return CommandLine.parse(args, env, flink, known);
  }
}
