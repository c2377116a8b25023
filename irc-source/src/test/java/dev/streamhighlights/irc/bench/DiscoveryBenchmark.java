package dev.streamhighlights.irc.bench;

import dev.streamhighlights.irc.config.Secrets;
import dev.streamhighlights.irc.discovery.TopStreams;
import dev.streamhighlights.simulator.HelixServer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One listing of every live stream against the fake Helix on this machine: {@code streams} live
 * channels (default 100,000) in pages of 100 that repeat an entry each, with a rate-limit bucket of
 * {@code points} per {@code seconds} (default Twitch's 800 per 60). Prints channels, requests,
 * time, time spent waiting for the bucket and 429s. Not a test: run it with {@code bin/benchmark
 * discovery}.
 */
public final class DiscoveryBenchmark {

  public static void main(String[] args) throws Exception {
    int streams = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int points = args.length > 1 ? Integer.parseInt(args[1]) : 800;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 60;
    // Without it each answer of the JDK's HTTP server waits ~40 ms for a delayed ACK (it writes
    // headers and body separately); set before the first server starts.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    try (HelixServer helix = HelixServer.start("id", "secret", "user", "refresh")) {
      helix.setLive(streams);
      helix.setRateLimit(points, Duration.ofSeconds(seconds));
      TopStreams all =
          new TopStreams(
              TopStreams.ALL,
              helix.helixBaseUrl(),
              helix.authBaseUrl(),
              "ID",
              "SECRET",
              Secrets.of(Map.of("ID", "id", "SECRET", "secret")));
      List<String> listed = all.discover();
      TopStreams.Listing l = all.lastListing();
      System.out.printf(
          Locale.ROOT,
          "%,d live streams, bucket %d points per %d s: %,d channels listed in %,d requests,"
              + " %.1f s (%.1f s waiting for %d refills), %d answered 429, fewest points left %d%n",
          streams,
          points,
          seconds,
          listed.size(),
          l.requests(),
          l.millis() / 1000.0,
          l.waitedMillis() / 1000.0,
          l.pacingWaits(),
          helix.rateLimitedRequests(),
          helix.lowestRateLimitRemaining());
    }
  }
}
