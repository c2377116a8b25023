package dev.streamhighlights.job.clip;

import dev.streamhighlights.job.model.ClipResult;
import dev.streamhighlights.job.model.Highlight;
import java.io.Serializable;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Where each clip request is claimed before {@code POST /helix/clips} and its outcome recorded
 * after: a highlight that comes again (a job restored from a checkpoint fires it once more) finds
 * its claim and is not clipped twice. Claiming first means a crash between claim and request costs
 * that one clip rather than risking two: a public clip is never repeated.
 */
public interface ClipLedger extends AutoCloseable {

  /**
   * Claims the clip of {@code h}. Completes empty when this caller may request it, or with what was
   * recorded for it before ({@link ClipResult#INTERRUPTED} when the earlier request never
   * finished). Completes exceptionally when the ledger cannot be reached: then nothing is clipped.
   */
  CompletableFuture<Optional<ClipResult>> claim(Highlight h);

  /** Records the outcome of a claimed request (best effort). */
  CompletableFuture<Void> record(Highlight h, ClipResult result);

  @Override
  default void close() throws Exception {}

  /** Opens the ledger of a parallel task; shipped with the job graph. */
  @FunctionalInterface
  interface Factory extends Serializable {
    ClipLedger open();
  }

  /**
   * A ledger in this task's memory: enough for backtests and tests, not for live runs (it does not
   * survive a restart).
   */
  static Factory inMemory() {
    return InMemory::new;
  }

  /** The in-memory ledger. */
  final class InMemory implements ClipLedger {
    private final ConcurrentMap<String, Optional<ClipResult>> claims = new ConcurrentHashMap<>();

    @Override
    public CompletableFuture<Optional<ClipResult>> claim(Highlight h) {
      Optional<ClipResult> before = claims.putIfAbsent(h.id(), Optional.empty());
      if (before == null) {
        return CompletableFuture.completedFuture(Optional.empty());
      }
      return CompletableFuture.completedFuture(
          Optional.of(before.orElse(ClipResult.interrupted())));
    }

    @Override
    public CompletableFuture<Void> record(Highlight h, ClipResult result) {
      claims.put(h.id(), Optional.of(result));
      return CompletableFuture.completedFuture(null);
    }
  }
}
