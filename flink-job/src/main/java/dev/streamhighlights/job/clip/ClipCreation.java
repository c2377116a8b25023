package dev.streamhighlights.job.clip;

import dev.streamhighlights.job.model.ClipResult;
import dev.streamhighlights.job.model.ClipStatus;
import dev.streamhighlights.job.model.Highlight;
import dev.streamhighlights.job.model.StoredHighlight;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The async I/O stage, the only way to {@code POST /helix/clips}. For each highlight, in order:
 *
 * <ol>
 *   <li>the {@link ClipLedger} is asked for the claim: a highlight claimed before (a restored job
 *       firing it again) keeps its recorded outcome and is not clipped twice; a ledger that cannot
 *       be reached means no clip ({@code failed});
 *   <li>a moment older than {@code maxAgeMillis} (wall clock against its {@code detectedAt}) is
 *       over: a clip made now would show something else, so it is stored {@code stale};
 *   <li>while Twitch's clip-creation budget runs low, only the best recent scores are clipped
 *       ({@link GlobalClipBudget}); the others are stored {@code over-budget};
 *   <li>the {@link ClipCreator} requests the clip, never after that bound either, and the outcome
 *       is recorded in the ledger.
 * </ol>
 *
 * Every path completes with the highlight and a status, so no highlight is lost to a Twitch or
 * database problem. Creators that do not publish anything (backtests) skip the first two steps.
 */
public class ClipCreation extends RichAsyncFunction<Highlight, StoredHighlight> {

  private static final Logger LOG = LoggerFactory.getLogger(ClipCreation.class);

  private final ClipCreatorFactory factory;
  private final ClipLedger.Factory ledgerFactory;
  private final long maxAgeMillis;
  private final LongSupplier clock;

  private transient ClipCreator creator;
  private transient GlobalClipBudget budget;
  private transient ClipLedger ledger;
  private transient Counter requested;
  private transient Counter timedOut;
  private transient Counter repeated;
  private transient Map<ClipStatus, Counter> byStatus;

  /** Clip creation without ledger or age bound (backtests, tests of the creator alone). */
  public ClipCreation(ClipCreatorFactory factory) {
    this(factory, ClipLedger.inMemory(), Long.MAX_VALUE);
  }

  public ClipCreation(
      ClipCreatorFactory factory, ClipLedger.Factory ledgerFactory, long maxAgeMillis) {
    this(
        factory,
        ledgerFactory,
        maxAgeMillis,
        (LongSupplier & java.io.Serializable) System::currentTimeMillis);
  }

  /** With a clock of its own (tests). */
  public ClipCreation(
      ClipCreatorFactory factory,
      ClipLedger.Factory ledgerFactory,
      long maxAgeMillis,
      LongSupplier clock) {
    this.factory = factory;
    this.ledgerFactory = ledgerFactory;
    this.maxAgeMillis = maxAgeMillis;
    this.clock = clock;
  }

  @Override
  public void open(OpenContext openContext) {
    creator = factory.create();
    budget = new GlobalClipBudget();
    ledger = ledgerFactory.open();
    MetricGroup group = getRuntimeContext().getMetricGroup();
    // Counted from HTTP and ledger threads as well as the task thread.
    requested = group.counter("clipRequests", new ThreadSafeSimpleCounter());
    timedOut = group.counter("clipTimeouts", new ThreadSafeSimpleCounter());
    repeated = group.counter("clipsNotRepeated", new ThreadSafeSimpleCounter());
    // One counter per outcome ("clips" group, e.g. clips.created, clips.stale).
    // Filled here and only read afterwards, from any thread.
    byStatus = new EnumMap<>(ClipStatus.class);
    MetricGroup clips = group.addGroup("clips");
    for (ClipStatus status : ClipStatus.values()) {
      byStatus.put(status, clips.counter(status.wire(), new ThreadSafeSimpleCounter()));
    }
    creator.registerMetrics(group);
  }

  @Override
  public void asyncInvoke(Highlight highlight, ResultFuture<StoredHighlight> result) {
    if (!creator.publishes()) {
      request(highlight, result);
      return;
    }
    call(() -> ledger.claim(highlight))
        .whenComplete(
            (before, error) -> {
              // The ledger first: a highlight handled before keeps its outcome (a clip already made
              // must not be overwritten by 'stale' when a restored job fires it again later).
              if (error != null) {
                ClipResult stale = staleOrNull(highlight);
                if (stale == null) {
                  LOG.warn(
                      "Not clipping {}: the clip ledger cannot be reached ({}), and a clip that might"
                          + " be made twice is not made",
                      highlight.id(),
                      error.toString());
                }
                finish(
                    highlight,
                    stale != null
                        ? stale
                        : ClipResult.withoutClip(
                            ClipStatus.FAILED, "clip ledger unavailable: " + error),
                    result);
              } else if (before.isPresent()) {
                repeated.inc();
                LOG.info(
                    "{} was claimed before (status {}); not clipped again",
                    highlight.id(),
                    before.get().status());
                finish(highlight, before.get(), result);
              } else {
                ClipResult stale = staleOrNull(highlight);
                String overBudget =
                    stale == null
                        ? budget.verdict(highlight.score(), creator.clipCreationBudget())
                        : null;
                if (stale != null) {
                  recordAndFinish(highlight, stale, result);
                } else if (overBudget != null) {
                  recordAndFinish(
                      highlight,
                      ClipResult.withoutClip(ClipStatus.OVER_BUDGET, overBudget),
                      result);
                } else {
                  requestAndRecord(highlight, result);
                }
              }
            });
  }

  /**
   * A moment older than the bound is over: a clip made now would show something else. Null when the
   * moment is still in a clip.
   */
  private ClipResult staleOrNull(Highlight highlight) {
    long age = clock.getAsLong() - highlight.detectedAt();
    if (age <= maxAgeMillis) {
      return null;
    }
    LOG.warn(
        "Not clipping {}: the moment is {} s old, past the {} s a clip can still show",
        highlight.id(),
        age / 1000,
        maxAgeMillis / 1000);
    return ClipResult.withoutClip(
        ClipStatus.STALE,
        "moment "
            + age / 1000
            + " s old when its clip was due (bound "
            + maxAgeMillis / 1000
            + " s)");
  }

  private void recordAndFinish(
      Highlight highlight, ClipResult outcome, ResultFuture<StoredHighlight> result) {
    record(highlight, outcome).thenAccept(o -> finish(highlight, o, result));
  }

  private CompletableFuture<ClipResult> record(Highlight highlight, ClipResult outcome) {
    return call(() -> ledger.record(highlight, outcome))
        .handle(
            (ok, error) -> {
              if (error != null) {
                LOG.warn(
                    "Could not record the clip outcome of {}: {}",
                    highlight.id(),
                    error.toString());
              }
              return outcome;
            });
  }

  private void requestAndRecord(Highlight highlight, ResultFuture<StoredHighlight> result) {
    requested.inc();
    long postBy =
        maxAgeMillis == Long.MAX_VALUE ? Long.MAX_VALUE : highlight.detectedAt() + maxAgeMillis;
    create(highlight, postBy)
        .thenCompose(outcome -> record(highlight, outcome))
        .thenAccept(outcome -> finish(highlight, outcome, result));
  }

  private void request(Highlight highlight, ResultFuture<StoredHighlight> result) {
    requested.inc();
    create(highlight, Long.MAX_VALUE).thenAccept(outcome -> finish(highlight, outcome, result));
  }

  private CompletableFuture<ClipResult> create(Highlight highlight, long postBy) {
    return call(() -> creator.create(highlight, postBy))
        .handle(
            (clip, error) -> {
              if (error != null) {
                LOG.warn("Clip request for {} failed: {}", highlight.id(), error.toString());
                return ClipResult.withoutClip(ClipStatus.FAILED, error.toString());
              }
              return clip;
            });
  }

  /** The future of an asynchronous call, failed also when the call throws before returning one. */
  private static <T> CompletableFuture<T> call(
      java.util.function.Supplier<CompletableFuture<T>> asyncCall) {
    try {
      return asyncCall.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private void finish(
      Highlight highlight, ClipResult outcome, ResultFuture<StoredHighlight> result) {
    count(outcome);
    result.complete(List.of(new StoredHighlight(highlight, outcome)));
  }

  @Override
  public void timeout(Highlight highlight, ResultFuture<StoredHighlight> result) {
    timedOut.inc();
    finish(highlight, ClipResult.withoutClip(ClipStatus.TIMEOUT, "no answer in time"), result);
  }

  private void count(ClipResult outcome) {
    Counter c = byStatus.get(outcome.status());
    if (c != null) {
      c.inc();
    }
  }

  @Override
  public void close() throws Exception {
    try {
      if (creator != null) {
        creator.close();
      }
    } finally {
      if (ledger != null) {
        ledger.close();
      }
    }
  }
}
