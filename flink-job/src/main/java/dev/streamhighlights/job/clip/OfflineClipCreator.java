package dev.streamhighlights.job.clip;

import dev.streamhighlights.job.model.ClipResult;
import dev.streamhighlights.job.model.ClipStatus;
import dev.streamhighlights.job.model.Highlight;
import java.util.concurrent.CompletableFuture;

/** Records the highlight without calling Twitch: backtests and runs without credentials. */
public final class OfflineClipCreator implements ClipCreator {

  private static final ClipResult OFFLINE = ClipResult.withoutClip(ClipStatus.OFFLINE, null);

  @Override
  public CompletableFuture<ClipResult> create(Highlight highlight) {
    return CompletableFuture.completedFuture(OFFLINE);
  }

  @Override
  public boolean publishes() {
    return false;
  }

  /** The factory to hand to the pipeline. */
  public static ClipCreatorFactory factory() {
    return OfflineClipCreator::new;
  }
}
