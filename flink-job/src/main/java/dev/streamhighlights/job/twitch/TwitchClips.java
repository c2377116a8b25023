package dev.streamhighlights.job.twitch;

import dev.streamhighlights.irc.config.Secrets;
import dev.streamhighlights.job.clip.ClipCreator;
import dev.streamhighlights.job.clip.ClipCreatorFactory;
import dev.streamhighlights.job.model.ClipResult;
import dev.streamhighlights.job.model.ClipStatus;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clip stage of live runs: Twitch clips through Helix when credentials are there, and otherwise
 * highlights stored with status {@code no-credentials} and one clear log line saying what is
 * missing. Credentials are read where the stage runs (the task managers), so they never travel with
 * the job graph.
 */
public final class TwitchClips implements ClipCreatorFactory {

  private static final Logger LOG = LoggerFactory.getLogger(TwitchClips.class);
  private static final AtomicBoolean TOLD_MISSING = new AtomicBoolean();

  private final HelixSettings settings;
  private final Secrets env;
  private final String secretsFile;
  private final String tokenStore;

  public TwitchClips(HelixSettings settings, Secrets env, String secretsFile, String tokenStore) {
    this.settings = settings;
    this.env = env;
    this.secretsFile = secretsFile;
    this.tokenStore = tokenStore;
  }

  @Override
  public ClipCreator create() {
    TwitchCredentials.Lookup lookup =
        TwitchCredentials.load(env, secretsFile == null ? null : Path.of(secretsFile));
    if (lookup.credentials() == null) {
      String reason = "no Twitch credentials for clips: missing " + lookup.missing();
      if (TOLD_MISSING.compareAndSet(false, true)) {
        LOG.warn(
            "{}. Highlights are stored with clip status '{}' until they are set.",
            reason,
            ClipStatus.NO_CREDENTIALS.wire());
      }
      ClipResult none = ClipResult.withoutClip(ClipStatus.NO_CREDENTIALS, reason);
      return highlight -> CompletableFuture.completedFuture(none);
    }
    return new HelixClipCreator(
        settings,
        lookup.credentials(),
        new TokenStore(tokenStore == null ? null : Path.of(tokenStore)));
  }
}
