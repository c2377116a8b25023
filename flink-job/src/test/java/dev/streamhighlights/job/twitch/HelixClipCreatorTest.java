package dev.streamhighlights.job.twitch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamhighlights.irc.config.Secrets;
import dev.streamhighlights.job.clip.ClipCreator;
import dev.streamhighlights.job.model.ClipResult;
import dev.streamhighlights.job.model.ClipStatus;
import dev.streamhighlights.job.model.Highlight;
import dev.streamhighlights.simulator.HelixServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every path of clip creation against the fake Helix server. */
class HelixClipCreatorTest {

  private static final String CLIENT_ID = "client-1";
  private static final String SECRET = "secret-1";

  @TempDir Path dir;
  private HelixServer helix;
  private HelixClipCreator creator;
  private HelixClipCreator other;

  @BeforeEach
  void start() {
    helix = HelixServer.start(CLIENT_ID, SECRET, "user-token-0", "refresh-0");
  }

  @AfterEach
  void stop() {
    if (creator != null) {
      creator.close();
    }
    if (other != null) {
      other.close();
    }
    helix.close();
  }

  @Test
  void createsTheClipAndConfirmsItExists() throws Exception {
    helix.setCreationDelay(Duration.ofMillis(300));
    creator = creator(settings(Duration.ofSeconds(5)));

    ClipResult r = clip(highlight("xqc", "71092938"));

    assertThat(r.status()).isEqualTo(ClipStatus.CREATED);
    assertThat(r.clipId()).isNotBlank();
    assertThat(r.url()).isEqualTo("https://clips.twitch.tv/" + r.clipId());
    assertThat(r.editUrl()).isEqualTo("https://clips.twitch.tv/" + r.clipId() + "/edit");
    HelixServer.CreateRequest request = helix.creates().get(0);
    assertThat(request.broadcasterId()).isEqualTo("71092938");
    assertThat(request.duration()).isEqualTo(30);
    assertThat(request.title()).startsWith("xqc highlight 2023-11-14 22:13:20 UTC");
    assertThat(helix.getRequests()).isGreaterThanOrEqualTo(2);
    assertThat(helix.validateRequests()).as("validated at start").isGreaterThanOrEqualTo(1);
  }

  @Test
  void refreshesARefusedTokenRetriesOnceAndKeepsTheNewTokenForTheNextStart() throws Exception {
    creator = creator(settings(Duration.ofSeconds(5)));
    helix.expireUserToken();

    assertThat(clip(highlight("a", "1")).status()).isEqualTo(ClipStatus.CREATED);
    assertThat(helix.refreshRequests()).isEqualTo(1);
    assertThat(helix.creates()).hasSize(2);

    // The next start uses the stored tokens; the original refresh token is spent.
    creator.close();
    creator = creator(settings(Duration.ofSeconds(5)));
    assertThat(clip(highlight("a", "1")).status()).isEqualTo(ClipStatus.CREATED);
    assertThat(helix.refreshRequests()).isEqualTo(1);
    String stored = Files.readString(dir.resolve("tokens.properties"));
    assertThat(stored).contains(helix.currentRefreshToken()).doesNotContain("refresh-0");
  }

  @Test
  void creatorsOfOneTokenRefreshItOnceAndBothCreateClips() throws Exception {
    // Two parallel subtasks in one task manager: Twitch spends the refresh token on first use.
    creator = creator(settings(Duration.ofSeconds(5)));
    other = creator(settings(Duration.ofSeconds(5)));
    helix.expireUserToken();

    CompletableFuture<ClipResult> a = creator.create(highlight("a", "1"));
    CompletableFuture<ClipResult> b = other.create(highlight("b", "2"));

    assertThat(a.get(30, TimeUnit.SECONDS).status()).isEqualTo(ClipStatus.CREATED);
    assertThat(b.get(30, TimeUnit.SECONDS).status()).isEqualTo(ClipStatus.CREATED);
    assertThat(clip(highlight("c", "3")).status()).isEqualTo(ClipStatus.CREATED);
    assertThat(other.create(highlight("d", "4")).get(30, TimeUnit.SECONDS).status())
        .isEqualTo(ClipStatus.CREATED);
    assertThat(helix.refreshRequests()).isEqualTo(1);
  }

  @Test
  void aRefusalOfTheOldTokenAfterAnotherCreatorRefreshedRetriesWithTheNewToken() throws Exception {
    creator = creator(settings(Duration.ofSeconds(5)));
    other = creator(settings(Duration.ofSeconds(5)));
    helix.expireUserToken();
    // The first request is refused at once but its answer is held, so it arrives after the
    // second request's refresh.
    helix.slowNextCreates(Duration.ofMillis(600), 1);
    CompletableFuture<ClipResult> held = creator.create(highlight("a", "1"));
    while (helix.creates().isEmpty()) {
      Thread.sleep(10);
    }

    assertThat(other.create(highlight("b", "2")).get(30, TimeUnit.SECONDS).status())
        .isEqualTo(ClipStatus.CREATED);
    assertThat(held.get(30, TimeUnit.SECONDS).status()).isEqualTo(ClipStatus.CREATED);
    assertThat(helix.refreshRequests()).isEqualTo(1);
    assertThat(helix.creates())
        .extracting(HelixServer.CreateRequest::token)
        .containsExactly(
            "user-token-0", "user-token-0", helix.currentUserToken(), helix.currentUserToken());
  }

  @Test
  void aTokenRefusedWhileConfirmingIsRefreshedAndTheClipConfirmed() throws Exception {
    helix.expireUserTokenAfterClips(1);
    creator = creator(settings(Duration.ofSeconds(5)));
    while (helix.validateRequests() == 0) {
      Thread.sleep(10); // validated before the token expires, so only the lookups are refused
    }

    ClipResult r = clip(highlight("a", "1"));

    assertThat(r.status()).isEqualTo(ClipStatus.CREATED);
    assertThat(helix.creates()).hasSize(1);
    assertThat(helix.refreshRequests()).isEqualTo(1);
  }

  @Test
  void theSharedTokenIsReleasedWithTheLastCreatorAndTheNextStartReadsTheStore() throws Exception {
    creator = creator(settings(Duration.ofSeconds(5)));
    other = creator(settings(Duration.ofSeconds(5)));
    assertThat(SharedUserTokens.held()).isEqualTo(1);
    helix.expireUserToken();
    assertThat(clip(highlight("a", "1")).status()).isEqualTo(ClipStatus.CREATED);

    creator.close();
    assertThat(SharedUserTokens.held()).as("still used by the other creator").isEqualTo(1);
    other.close();
    assertThat(SharedUserTokens.held()).isZero();

    // As after a job restart: a new holder, starting from the refreshed pair in the store.
    creator = creator(settings(Duration.ofSeconds(5)));
    other = null;
    assertThat(clip(highlight("b", "2")).status()).isEqualTo(ClipStatus.CREATED);
    assertThat(helix.refreshRequests()).isEqualTo(1);
  }

  @Test
  void aTokenThatCannotBeRefreshedGivesUnauthorized() throws Exception {
    creator =
        new HelixClipCreator(
            settings(Duration.ofSeconds(5)),
            new TwitchCredentials(CLIENT_ID, SECRET, "wrong-token", "wrong-refresh"),
            new TokenStore(dir.resolve("tokens.properties")));
    ClipResult r = clip(highlight("a", "1"));
    assertThat(r.status()).isEqualTo(ClipStatus.UNAUTHORIZED);
    assertThat(r.error()).contains("refresh");
  }

  @Test
  void restrictedAndOfflineChannelsAreStoredAsSuch() throws Exception {
    helix.restrictBroadcaster("10");
    helix.offlineBroadcaster("20");
    creator = creator(settings(Duration.ofSeconds(5)));
    assertThat(clip(highlight("r", "10")).status()).isEqualTo(ClipStatus.RESTRICTED);
    ClipResult offline = clip(highlight("o", "20"));
    assertThat(offline.status()).isEqualTo(ClipStatus.CHANNEL_OFFLINE);
    assertThat(offline.error()).contains("offline channel");
  }

  @Test
  void waitsForTheRateLimitResetInsteadOfFailing() throws Exception {
    helix.setRateLimit(3, Duration.ofSeconds(1));
    creator = creator(settings(Duration.ofSeconds(8)));
    List<CompletableFuture<ClipResult>> all = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      all.add(creator.create(highlight("c" + i, String.valueOf(i))));
    }
    for (CompletableFuture<ClipResult> f : all) {
      assertThat(f.get(20, TimeUnit.SECONDS).status()).isEqualTo(ClipStatus.CREATED);
    }
  }

  @Test
  void rateLimitedWhenTheResetComesAfterTheDeadline() throws Exception {
    helix.setRateLimit(1, Duration.ofSeconds(30));
    creator = creator(settings(Duration.ofSeconds(2)));
    clip(
        highlight(
            "a", "1")); // uses the only request of the window... and the confirmation gets 429
    ClipResult r = clip(highlight("b", "2"));
    assertThat(r.status()).isEqualTo(ClipStatus.RATE_LIMITED);
  }

  @Test
  void retriesUnavailableWithBackoff() throws Exception {
    helix.failNextCreates(503, 3);
    creator = creator(settings(Duration.ofSeconds(10)));
    assertThat(clip(highlight("a", "1")).status()).isEqualTo(ClipStatus.CREATED);
    assertThat(helix.creates()).hasSize(4);
  }

  @Test
  void anInternalErrorIsNotRepeatedSinceTheClipMayExist() throws Exception {
    helix.failNextCreates(500, 1);
    creator = creator(settings(Duration.ofSeconds(10)));
    ClipResult r = clip(highlight("a", "1"));
    assertThat(r.status()).isEqualTo(ClipStatus.FAILED);
    assertThat(r.error()).contains("HTTP 500").contains("not repeated");
    assertThat(helix.creates()).hasSize(1);
  }

  @Test
  void givesUpOnServerErrorsAtTheDeadline() throws Exception {
    helix.failNextCreates(503, 1000);
    creator = creator(settings(Duration.ofSeconds(2)));
    ClipResult r = clip(highlight("a", "1"));
    assertThat(r.status()).isEqualTo(ClipStatus.FAILED);
    assertThat(r.error()).contains("HTTP 503");
  }

  @Test
  void aRequestWithoutAnswerIsNotRepeatedSinceTheClipMayExist() throws Exception {
    helix.slowNextCreates(Duration.ofSeconds(3), 1);
    creator = creator(settings(Duration.ofSeconds(10)));
    ClipResult r = clip(highlight("a", "1"));
    assertThat(r.status()).isEqualTo(ClipStatus.FAILED);
    assertThat(r.error()).contains("not repeated");
    // The timed-out request made a clip on Twitch; a retry would have made a second one.
    assertThat(helix.creates()).hasSize(1);
  }

  @Test
  void aRequestThatCouldNotConnectIsRetried() throws Exception {
    creator =
        creator(
            new HelixSettings(
                "http://127.0.0.1:1/helix",
                helix.authBaseUrl(),
                30,
                Duration.ofSeconds(1),
                Duration.ofMillis(100),
                Duration.ofSeconds(2),
                Duration.ofSeconds(1),
                Duration.ofMillis(200)));
    ClipResult r = clip(highlight("a", "1"));
    assertThat(r.status()).isEqualTo(ClipStatus.FAILED);
    assertThat(r.error()).contains("ConnectException").contains("attempts");
  }

  @Test
  void aRequestHeldPastItsMomentIsNeverSent() throws Exception {
    helix.failNextCreates(503, 1000);
    creator = creator(settings(Duration.ofSeconds(20)));
    long postBy = System.currentTimeMillis() + 1_500;
    ClipResult r = creator.create(highlight("a", "1"), postBy).get(30, TimeUnit.SECONDS);
    int sent = helix.creates().size();
    assertThat(r.status()).isEqualTo(ClipStatus.STALE);
    assertThat(sent).as("retries of the 503s until the bound").isGreaterThan(1);
    Thread.sleep(1_000);
    assertThat(helix.creates()).as("nothing sent after the bound").hasSize(sent);
  }

  @Test
  void aMalformedAnswerFailsTheClipNotTheJob() throws Exception {
    helix.malformedNextCreates(1);
    creator = creator(settings(Duration.ofSeconds(5)));
    ClipResult r = clip(highlight("a", "1"));
    assertThat(r.status()).isEqualTo(ClipStatus.FAILED);
    assertThat(r.error()).contains("malformed");
  }

  @Test
  void aClipThatNeverAppearsFailsAfterTheConfirmationDeadlineKeepingItsId() throws Exception {
    helix.neverConfirm("7");
    creator = creator(settings(Duration.ofSeconds(5)));
    ClipResult r = clip(highlight("a", "7"));
    assertThat(r.status()).isEqualTo(ClipStatus.FAILED);
    assertThat(r.clipId()).isNotBlank();
    assertThat(r.error()).contains("not confirmed within 1 s");
  }

  @Test
  void withoutCredentialsHighlightsAreStoredAsSuch() throws Exception {
    TwitchClips clips =
        new TwitchClips(
            settings(Duration.ofSeconds(5)),
            Secrets.of(Map.of(TwitchCredentials.CLIENT_ID, "x")),
            null,
            null);
    try (ClipCreator none = clips.create()) {
      ClipResult r = none.create(highlight("a", "1")).get(5, TimeUnit.SECONDS);
      assertThat(r.status()).isEqualTo(ClipStatus.NO_CREDENTIALS);
      assertThat(r.error())
          .contains("TWITCH_CLIENT_SECRET, TWITCH_USER_TOKEN, TWITCH_REFRESH_TOKEN")
          .doesNotContain("TWITCH_CLIENT_ID,");
    }
  }

  @Test
  void readsCredentialsFromASecretsFile() throws Exception {
    Path file = dir.resolve("twitch.properties");
    Files.writeString(
        file,
        "TWITCH_CLIENT_ID="
            + CLIENT_ID
            + "\nTWITCH_CLIENT_SECRET="
            + SECRET
            + "\nTWITCH_USER_TOKEN=oauth:user-token-0\nTWITCH_REFRESH_TOKEN=refresh-0\n");
    TwitchCredentials.Lookup lookup = TwitchCredentials.load(Secrets.of(Map.of()), file);
    assertThat(lookup.missing()).isNull();
    assertThat(lookup.credentials().accessToken()).isEqualTo("user-token-0");
    assertThat(lookup.credentials().toString()).doesNotContain(SECRET, "user-token-0", "refresh-0");
  }

  private ClipResult clip(Highlight h) throws Exception {
    return creator.create(h).get(30, TimeUnit.SECONDS);
  }

  private HelixClipCreator creator(HelixSettings settings) {
    return new HelixClipCreator(
        settings,
        new TwitchCredentials(CLIENT_ID, SECRET, "user-token-0", "refresh-0"),
        new TokenStore(dir.resolve("tokens.properties")));
  }

  private HelixSettings settings(Duration deadline) {
    return new HelixSettings(
        helix.helixBaseUrl(),
        helix.authBaseUrl(),
        30,
        Duration.ofSeconds(1),
        Duration.ofMillis(100),
        deadline,
        Duration.ofSeconds(1),
        Duration.ofMillis(200));
  }

  static Highlight highlight(String channel, String channelId) {
    long end = 1_700_000_000_000L;
    return new Highlight(
        channel, channelId, end - 10_000, end, end, 50, 5, 45, 4, 1, 30, end - 10_000, "default");
  }
}
