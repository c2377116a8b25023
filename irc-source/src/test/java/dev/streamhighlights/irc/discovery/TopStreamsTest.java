package dev.streamhighlights.irc.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.streamhighlights.irc.config.Secrets;
import dev.streamhighlights.simulator.HelixServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TopStreamsTest {

  private static final Secrets CREDENTIALS =
      Secrets.of(Map.of("TWITCH_CLIENT_ID", "id", "TWITCH_CLIENT_SECRET", "secret"));

  @Test
  void listsEveryOneOfAHundredThousandLiveStreamsOnceWithinTheBudget() throws Exception {
    try (HelixServer helix = helix()) {
      helix.setLive(100_000);
      // 1,000 points per 3 s (25 times Twitch's 800 a minute, so the test takes seconds): the
      // listing needs about 1,011 requests, so the pacer has to wait for a refill.
      helix.setRateLimit(1_000, Duration.ofSeconds(3));
      TopStreams all = all(helix);

      List<String> listed = all.discover();

      assertThat(listed).hasSize(100_000).doesNotHaveDuplicates();
      assertThat(listed).containsExactlyElementsOf(HelixServer.generatedLogins(100_000));
      assertThat(helix.rateLimitedRequests()).as("never a 429").isZero();
      assertThat(helix.lowestRateLimitRemaining())
          .as("the reserve is left for other calls")
          .isGreaterThanOrEqualTo(RateLimitPacer.reserve(1_000));
      TopStreams.Listing listing = all.lastListing();
      assertThat(listing.requests()).isEqualTo(helix.streamRequests()).isBetween(1_000, 1_020);
      assertThat(listing.pacingWaits()).isPositive();
    }
  }

  @Test
  void pacesALowBudgetByWaitingForTheResetInsteadOfMeetingA429() throws Exception {
    try (HelixServer helix = helix()) {
      helix.setLive(5_000); // 51 pages
      helix.setRateLimit(20, Duration.ofSeconds(1)); // 18 a second after the reserve
      TopStreams all = all(helix);

      long started = System.nanoTime();
      assertThat(all.discover()).hasSize(5_000);

      assertThat(helix.rateLimitedRequests()).isZero();
      assertThat(all.lastListing().pacingWaits()).isGreaterThanOrEqualTo(2);
      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .isGreaterThan(Duration.ofMillis(1_500));
    }
  }

  @Test
  void waitsOutA429MidListingAndGoesOn() throws Exception {
    try (HelixServer helix = helix()) {
      helix.setLive(2_000);
      helix.setRateLimit(100, Duration.ofSeconds(1));
      helix.drainRateLimitAfterStreamRequests(5); // another client spends the bucket
      TopStreams all = all(helix);

      assertThat(all.discover()).hasSize(2_000).doesNotHaveDuplicates();

      assertThat(helix.rateLimitedRequests()).isEqualTo(1);
      assertThat(all.lastListing().rateLimited()).isEqualTo(1);
    }
  }

  @Test
  void retriesAPageThatFailsOnceButFailsTheListingWhenThePageKeepsFailing() throws Exception {
    try (HelixServer helix = helix()) {
      helix.setLive(1_000);
      TopStreams all = all(helix);
      helix.failStreamRequests(4, 503, 1);
      assertThat(all.discover()).hasSize(1_000);

      helix.failStreamRequests(4, 500, TopStreams.PAGE_ATTEMPTS);
      assertThatThrownBy(all::discover)
          .isInstanceOf(IOException.class)
          .hasMessage("Helix GET /streams answered 500");
    }
  }

  @Test
  void keepsAStreamMissingFromOneListingOfAllAndLeavesItWhenMissingTwice() throws Exception {
    try (HelixServer helix = helix()) {
      TopStreams all = all(helix);
      helix.setLive(List.of("a", "b", "c"));
      assertThat(all.discover()).containsExactly("a", "b", "c");
      helix.setLive(List.of("a", "c", "d"));
      assertThat(all.discover()).as("b skipped once").containsExactly("a", "c", "d", "b");
      helix.setLive(List.of("a", "c", "d"));
      assertThat(all.discover()).as("b ended").containsExactly("a", "c", "d");
    }
  }

  @Test
  void theTopNStopsAtNAndLeavesAStreamAsSoonAsItIsMissing() throws Exception {
    try (HelixServer helix = helix()) {
      helix.setLive(1_000);
      TopStreams top = top(helix, 250);
      assertThat(top.discover()).containsExactlyElementsOf(HelixServer.generatedLogins(250));
      assertThat(helix.streamRequests()).isEqualTo(3);
      helix.setLive(List.of("a", "b"));
      assertThat(top.discover()).containsExactly("a", "b");
    }
  }

  @Test
  void abandonsAListingWhoseCursorLoops() throws Exception {
    String page =
        IntStream.range(0, 100)
            .mapToObj(i -> "{\"user_login\":\"loop" + i + "\"}")
            .collect(
                Collectors.joining(",", "{\"data\":[", "],\"pagination\":{\"cursor\":\"x\"}}"));
    AtomicInteger pages = new AtomicInteger();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/oauth2/token", x -> answer(x, "{\"access_token\":\"t\"}"));
    server.createContext(
        "/helix/streams",
        x -> {
          pages.incrementAndGet();
          answer(x, page);
        });
    server.start();
    try {
      String base = "http://127.0.0.1:" + server.getAddress().getPort();
      TopStreams all =
          new TopStreams(
              TopStreams.ALL,
              base + "/helix",
              base + "/oauth2",
              "TWITCH_CLIENT_ID",
              "TWITCH_CLIENT_SECRET",
              CREDENTIALS);
      assertThatThrownBy(all::discover)
          .isInstanceOf(IOException.class)
          .hasMessageContaining("cursor seems to loop");
      assertThat(pages.get()).isEqualTo(TopStreams.maxPages(100)).isEqualTo(22);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void theLoopGuardGrowsWithTheList() {
    assertThat(TopStreams.maxPages(0)).isEqualTo(20);
    assertThat(TopStreams.maxPages(10_000)).isEqualTo(220);
    assertThat(TopStreams.maxPages(100_000)).isEqualTo(2_020);
  }

  private static void answer(com.sun.net.httpserver.HttpExchange x, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    x.sendResponseHeaders(200, bytes.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static HelixServer helix() {
    return HelixServer.start("id", "secret", "user-token", "refresh-token");
  }

  private static TopStreams all(HelixServer helix) {
    return top(helix, TopStreams.ALL);
  }

  private static TopStreams top(HelixServer helix, int n) {
    return new TopStreams(
        n,
        helix.helixBaseUrl(),
        helix.authBaseUrl(),
        "TWITCH_CLIENT_ID",
        "TWITCH_CLIENT_SECRET",
        CREDENTIALS);
  }
}
