package dev.streamhighlights.irc.bench;

import dev.streamhighlights.irc.config.Secrets;
import dev.streamhighlights.irc.connection.ChatClient;
import dev.streamhighlights.irc.connection.ChatIdentity;
import dev.streamhighlights.irc.connection.ChatListener;
import dev.streamhighlights.irc.connection.ChatSettings;
import dev.streamhighlights.irc.connection.ChatStats;
import dev.streamhighlights.irc.model.ChatMessage;
import dev.streamhighlights.simulator.ChatServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How long joining takes per identity configuration, against the fake Twitch enforcing every
 * identity's limits, with the window scaled down (10 s -> 500 ms) and the channels too (100,000 ->
 * 2,000): both keep the number of windows per identity at 1/50 of the real one. Prints the measured
 * time, the time the limits allow, and the 100,000-channel time at 10 s windows. Usage: {@code
 * JoinTimeBenchmark [channels]}.
 */
public final class JoinTimeBenchmark {

  private static final Duration WINDOW = Duration.ofMillis(500);
  private static final double REAL_WINDOW_SECONDS = 10;

  public static void main(String[] args) throws Exception {
    int channels = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
    run("1 anonymous, 20/window", anonymous(1), channels);
    run("10 anonymous, 20/window each", anonymous(10), channels);
    run("50 anonymous, 20/window each", anonymous(50), channels);
    run("verified bot, 2000/window, cap 100", List.of(bot()), channels);
    List<ChatIdentity> mix = new ArrayList<>(List.of(bot()));
    mix.addAll(anonymous(10));
    run("verified bot + 10 anonymous", mix, channels);
    List<ChatIdentity> big = new ArrayList<>(List.of(bot()));
    big.addAll(anonymous(50));
    run("verified bot + 50 anonymous", big, channels);
  }

  private static ChatIdentity bot() {
    return new ChatIdentity("verifiedbot", "BOT_TOKEN", 2_000, WINDOW, 100);
  }

  private static List<ChatIdentity> anonymous(int n) {
    List<ChatIdentity> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(ChatIdentity.anonymous(5_000_000 + i, 20, WINDOW, ChatIdentity.NO_CAP));
    }
    return ids;
  }

  private static void run(String name, List<ChatIdentity> identities, int n) throws Exception {
    try (ChatServer twitch = ChatServer.start()) {
      twitch.setJoinLimit(20, WINDOW);
      twitch.setIdentityLimits("verifiedbot", 2_000, WINDOW, 100);
      ChatSettings settings =
          new ChatSettings(
              twitch.ircUri(),
              identities,
              90,
              Duration.ofSeconds(60),
              Duration.ofSeconds(60),
              Duration.ofSeconds(1),
              3,
              Duration.ofSeconds(5));
      ChatListener quiet =
          new ChatListener() {
            @Override
            public void onMessage(ChatMessage message) {}

            @Override
            public void onFatalError(Exception error) {
              System.err.println(error.getMessage());
            }
          };
      ChatStats stats = new ChatStats();
      long start = System.nanoTime();
      try (ChatClient client =
          new ChatClient(settings, quiet, stats, Secrets.of(Map.of("BOT_TOKEN", "oauth:x")))) {
        for (int i = 0; i < n; i++) {
          client.join("channel_" + i);
        }
        int reachable = n - client.overCapacityCount();
        while (twitch.joinedChannels().size() < reachable) {
          Thread.sleep(5);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double allowed = allowedSeconds(identities, reachable, WINDOW.toMillis() / 1000.0);
        long capacity = 0;
        for (ChatIdentity id : identities) {
          capacity = Math.min(100_000, capacity + id.maxChannels());
        }
        double real = allowedSeconds(identities, (int) capacity, REAL_WINDOW_SECONDS);
        System.out.printf(
            "%-36s joined %5d (not joined %5d) in %6.2f s; limits allow %6.2f s (ratio %.2f);"
                + " 100,000 channels at 10 s windows: %d joinable, limits allow %.0f s;"
                + " violations %d%n",
            name,
            reachable,
            client.overCapacityCount(),
            seconds,
            allowed,
            allowed == 0 ? 0 : seconds / allowed,
            capacity,
            real,
            twitch.joinLimitDisconnects() + twitch.channelCapDisconnects());
      }
    }
  }

  /**
   * Channels spread by JOIN rate, an identity whose cap is below its share taking its cap and the
   * others sharing the rest; each joins its share in (ceil(share / limit) - 1) windows.
   */
  private static double allowedSeconds(List<ChatIdentity> ids, int n, double window) {
    List<ChatIdentity> rest = new ArrayList<>(ids);
    double worst = 0;
    int left = n;
    boolean capped = true;
    while (capped) {
      capped = false;
      double total = rest.stream().mapToDouble(ChatIdentity::joinsPerSecond).sum();
      for (ChatIdentity id : rest) {
        if (id.maxChannels() < left * id.joinsPerSecond() / total) {
          worst = Math.max(worst, windows(id.maxChannels(), id) * window);
          left -= id.maxChannels();
          rest.remove(id);
          capped = true;
          break;
        }
      }
    }
    double total = rest.stream().mapToDouble(ChatIdentity::joinsPerSecond).sum();
    for (ChatIdentity id : rest) {
      int share = (int) Math.ceil(left * id.joinsPerSecond() / total);
      worst = Math.max(worst, windows(share, id) * window);
    }
    return worst;
  }

  private static double windows(int share, ChatIdentity id) {
    return Math.max(0, Math.ceil((double) share / id.joinLimit()) - 1);
  }
}
