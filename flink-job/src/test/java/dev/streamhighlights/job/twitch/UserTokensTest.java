package dev.streamhighlights.job.twitch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamhighlights.simulator.HelixServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One refresh per refused token, within a JVM and, through the token store, across task managers
 * (each {@link UserTokens} here stands for one task manager's holder).
 */
class UserTokensTest {

  private static final String CLIENT_ID = "client-1";
  private static final String SECRET = "secret-1";
  private static final String TOKEN = "user-token-0";

  @TempDir Path dir;
  private HelixServer helix;
  private final List<UserTokens> opened = new ArrayList<>();

  @BeforeEach
  void start() {
    helix = HelixServer.start(CLIENT_ID, SECRET, TOKEN, "refresh-0");
    helix.expireUserToken();
  }

  @AfterEach
  void stop() {
    opened.forEach(UserTokens::close);
    helix.close();
  }

  @Test
  void concurrentRefusalsOfOneTokenShareOneRefresh() throws Exception {
    UserTokens tokens = tokens(store("tokens.properties"));
    List<CompletableFuture<Boolean>> refreshes = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      refreshes.add(tokens.refresh(TOKEN));
    }
    for (CompletableFuture<Boolean> r : refreshes) {
      assertThat(r.get(10, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(tokens.refresh(TOKEN).get(10, TimeUnit.SECONDS))
        .as("a late refusal of the old token")
        .isTrue();
    assertThat(helix.refreshRequests()).isEqualTo(1);
    assertThat(tokens.accessToken()).isEqualTo(helix.currentUserToken());
  }

  @Test
  void aTokenAnotherTaskManagerRefreshedIsTakenFromTheSharedStoreWithoutARequest()
      throws Exception {
    TokenStore shared = store("tokens.properties");
    UserTokens here = tokens(shared);
    UserTokens there = tokens(shared);

    assertThat(there.refresh(TOKEN).get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(here.refresh(TOKEN).get(10, TimeUnit.SECONDS)).isTrue();

    assertThat(helix.refreshRequests()).isEqualTo(1);
    assertThat(here.accessToken()).isEqualTo(helix.currentUserToken());
    assertThat(here.unusable()).isNull();
  }

  @Test
  void aRefreshRefusedBecauseAnotherProcessSpentTheTokenTakesThePairItStoresLater()
      throws Exception {
    TokenStore shared = store("tokens.properties");
    UserTokens here = tokens(shared);
    // Another task manager spends the refresh token and writes the new pair a little later.
    assertThat(tokens(new TokenStore(null)).refresh(TOKEN).get(10, TimeUnit.SECONDS)).isTrue();
    String access = helix.currentUserToken();
    String refresh = helix.currentRefreshToken();
    CompletableFuture<Void> written =
        CompletableFuture.runAsync(
            () -> {
              try {
                shared.save(access, refresh);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            },
            CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS));

    assertThat(here.refresh(TOKEN).get(10, TimeUnit.SECONDS)).isTrue();

    written.get(10, TimeUnit.SECONDS);
    assertThat(helix.refreshRequests()).as("ours was refused").isEqualTo(2);
    assertThat(here.accessToken()).isEqualTo(access);
    assertThat(here.unusable()).isNull();
  }

  @Test
  void withoutASharedStoreOnlyTheFirstTaskManagerToRefreshKeepsWorking() throws Exception {
    UserTokens here = tokens(store("here.properties"));
    UserTokens there = tokens(store("there.properties"));

    assertThat(there.refresh(TOKEN).get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(here.refresh(TOKEN).get(10, TimeUnit.SECONDS)).isFalse();

    assertThat(here.unusable()).contains("refused to refresh");
    assertThat(there.unusable()).isNull();
  }

  private TokenStore store(String name) {
    return new TokenStore(dir.resolve(name));
  }

  private UserTokens tokens(TokenStore store) {
    UserTokens tokens =
        new UserTokens(
            helix.authBaseUrl(),
            new TwitchCredentials(CLIENT_ID, SECRET, TOKEN, "refresh-0"),
            store,
            Duration.ofSeconds(2));
    opened.add(tokens);
    return tokens;
  }
}
