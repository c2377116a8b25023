package dev.streamhighlights.job.clip;

import dev.streamhighlights.job.model.ClipResult;
import dev.streamhighlights.job.model.StoredHighlight;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Highlights the channel's clip budget leaves without a clip go through the {@link ClipLedger} too,
 * as {@link ClipCreation}'s do: a job restored from a checkpoint may fire a moment again, and with
 * the budget spent differently (a lower score from the messages counted since the restore) find it
 * over budget this time. The ledger keeps the outcome the moment had, so a clip already made is
 * never overwritten by {@code over-budget}; a moment seen for the first time is recorded as over
 * budget, so a later repeat is not clipped late either. When the ledger cannot be reached the
 * highlight is stored {@code over-budget} all the same: nothing is requested on this path.
 */
public class OverBudgetLedger extends RichAsyncFunction<StoredHighlight, StoredHighlight> {

  private static final Logger LOG = LoggerFactory.getLogger(OverBudgetLedger.class);

  private final ClipLedger.Factory ledgerFactory;

  private transient ClipLedger ledger;
  private transient Counter repeated;

  public OverBudgetLedger(ClipLedger.Factory ledgerFactory) {
    this.ledgerFactory = ledgerFactory;
  }

  @Override
  public void open(OpenContext openContext) {
    ledger = ledgerFactory.open();
    repeated =
        getRuntimeContext()
            .getMetricGroup()
            .counter("overBudgetKeptOutcome", new ThreadSafeSimpleCounter());
  }

  @Override
  public void asyncInvoke(StoredHighlight over, ResultFuture<StoredHighlight> result) {
    claim(over)
        .whenComplete(
            (before, error) -> {
              if (error != null) {
                LOG.warn(
                    "Clip ledger unavailable for {} (over budget, stored as such): {}",
                    over.highlight().id(),
                    error.toString());
                result.complete(List.of(over));
              } else if (before.isPresent()) {
                repeated.inc();
                LOG.info(
                    "{} was handled before (status {}); that outcome is kept",
                    over.highlight().id(),
                    before.get().status());
                result.complete(List.of(new StoredHighlight(over.highlight(), before.get())));
              } else {
                record(over).whenComplete((ok, e) -> result.complete(List.of(over)));
              }
            });
  }

  private CompletableFuture<Optional<ClipResult>> claim(StoredHighlight over) {
    try {
      return ledger.claim(over.highlight());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private CompletableFuture<Void> record(StoredHighlight over) {
    try {
      return ledger.record(over.highlight(), over.clip());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public void timeout(StoredHighlight over, ResultFuture<StoredHighlight> result) {
    result.complete(List.of(over));
  }

  @Override
  public void close() throws Exception {
    if (ledger != null) {
      ledger.close();
    }
  }
}
