package dev.streamhighlights.job.clip;

import dev.streamhighlights.job.model.ClipResult;
import dev.streamhighlights.job.model.Highlight;
import java.util.concurrent.CompletableFuture;

/**
 * Creates the clip of a highlight without blocking the caller. Implementations are created per
 * parallel task in {@code open()} and closed in {@code close()}.
 */
public interface ClipCreator extends AutoCloseable {

  /** Requests the clip; the future completes with the outcome, never exceptionally if avoidable. */
  CompletableFuture<ClipResult> create(Highlight highlight);

  /**
   * As {@link #create(Highlight)}, but the request is never sent after {@code postBy} (epoch ms):
   * then the moment is over, and the outcome is {@code stale}. Creators that retry or wait for rate
   * limits check it before every attempt.
   */
  default CompletableFuture<ClipResult> create(Highlight highlight, long postBy) {
    return create(highlight);
  }

  /**
   * Whether the creator acts on Twitch: then stale moments are not sent and every request is
   * claimed in the clip ledger first. False for creators that only record (backtests).
   */
  default boolean publishes() {
    return true;
  }

  /** Twitch's clip-creation budget as last reported. */
  record Budget(long remaining, long limit) {}

  /** The clip-creation budget Twitch reported last, or null while unknown (or not limited). */
  default Budget clipCreationBudget() {
    return null;
  }

  /** Adds the creator's own metrics (e.g. the API budget left) to the stage's metric group. */
  default void registerMetrics(org.apache.flink.metrics.MetricGroup group) {}

  @Override
  default void close() throws Exception {}
}
