package dev.streamhighlights.job.clip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamhighlights.job.model.ClipResult;
import dev.streamhighlights.job.model.ClipStatus;
import dev.streamhighlights.job.model.Highlight;
import dev.streamhighlights.job.model.StoredHighlight;
import java.io.Serializable;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.async.AsyncFunction;
import org.apache.flink.streaming.api.operators.async.AsyncWaitOperatorFactory;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The async clip stage in Flink's AsyncWaitOperator: a request that never answers ends as {@code
 * timeout} and does not hold the element (the job uses no AsyncRetryStrategy, whose interplay with
 * timeouts is a known trouble spot; retries happen inside the clip creator, within a deadline
 * shorter than the operator's timeout).
 */
class ClipCreationTest {

  /** Futures by channel, completed (or not) by the test; static because the factory is shipped. */
  static final Map<String, CompletableFuture<ClipResult>> PENDING = new ConcurrentHashMap<>();

  @Test
  void aRequestThatNeverAnswersEndsAsTimeoutAndALateAnswerIsIgnored() throws Exception {
    try (OneInputStreamOperatorTestHarness<Highlight, StoredHighlight> harness = harness(1_000)) {
      harness.open();
      harness.setProcessingTime(0);
      harness.processElement(new StreamRecord<>(highlight("slow"), 10));
      harness.processElement(new StreamRecord<>(highlight("fast"), 20));
      PENDING.get("fast").complete(new ClipResult(ClipStatus.CREATED, "id", "url", "edit", null));

      harness.setProcessingTime(1_001);
      PENDING.get("slow").complete(new ClipResult(ClipStatus.CREATED, "late", "url", "edit", null));
      harness.endInput();

      assertThat(harness.extractOutputValues())
          .extracting(s -> s.highlight().channel(), s -> s.clip().status())
          .containsExactlyInAnyOrder(
              org.assertj.core.groups.Tuple.tuple("fast", ClipStatus.CREATED),
              org.assertj.core.groups.Tuple.tuple("slow", ClipStatus.TIMEOUT));
    }
  }

  @Test
  void aFailedFutureStillStoresTheHighlight() throws Exception {
    try (OneInputStreamOperatorTestHarness<Highlight, StoredHighlight> harness = harness(1_000)) {
      harness.open();
      harness.processElement(new StreamRecord<>(highlight("broken"), 10));
      PENDING.get("broken").completeExceptionally(new IllegalStateException("boom"));
      harness.endInput();
      assertThat(harness.extractOutputValues())
          .singleElement()
          .satisfies(
              s -> {
                assertThat(s.clip().status()).isEqualTo(ClipStatus.FAILED);
                assertThat(s.clip().error()).contains("boom");
              });
    }
  }

  /** Requests that reached the creator, by highlight id. */
  static final Map<String, Integer> REQUESTS = new ConcurrentHashMap<>();

  @Test
  void aMomentOlderThanTheBoundIsStoredStaleAndNeverRequested() throws Exception {
    // The clock says 20 s after the moment; the bound is 15 s.
    ClipCreation stage =
        new ClipCreation(
            countingCreator(),
            ClipLedger.inMemory(),
            15_000,
            (LongSupplier & Serializable) () -> 30_000);
    try (OneInputStreamOperatorTestHarness<Highlight, StoredHighlight> harness =
        harness(stage, 1_000)) {
      harness.open();
      harness.processElement(new StreamRecord<>(highlight("old"), 10));
      harness.endInput();
      assertThat(harness.extractOutputValues())
          .singleElement()
          .satisfies(
              s -> {
                assertThat(s.clip().status()).isEqualTo(ClipStatus.STALE);
                assertThat(s.clip().error()).contains("20 s old");
              });
      assertThat(REQUESTS).doesNotContainKey("old:0");
    }
  }

  @Test
  void aHighlightClaimedBeforeKeepsItsOutcomeAndIsNotRequestedAgain() throws Exception {
    ClipLedger.InMemory ledger = new ClipLedger.InMemory();
    SHARED_LEDGER.put("repeat", ledger);
    ClipCreation stage =
        new ClipCreation(
            countingCreator(),
            () -> SHARED_LEDGER.get("repeat"),
            15_000,
            (LongSupplier & Serializable) () -> 12_000);
    try (OneInputStreamOperatorTestHarness<Highlight, StoredHighlight> harness =
        harness(stage, 1_000)) {
      harness.open();
      Highlight again = highlight("again");
      harness.processElement(new StreamRecord<>(again, 10));
      // The same moment once more, as a job restored from a checkpoint fires it again.
      harness.processElement(new StreamRecord<>(again, 10));
      harness.endInput();
      assertThat(harness.extractOutputValues())
          .extracting(s -> s.clip().status(), s -> s.clip().clipId())
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(ClipStatus.CREATED, "clip-again:0"),
              org.assertj.core.groups.Tuple.tuple(ClipStatus.CREATED, "clip-again:0"));
      assertThat(REQUESTS.get("again:0")).isEqualTo(1);
    }
  }

  @Test
  void aClippedMomentOverBudgetWhenItFiresAgainKeepsItsClipAndAnOverBudgetOneIsNotClippedLater()
      throws Exception {
    ClipLedger.InMemory ledger = new ClipLedger.InMemory();
    SHARED_LEDGER.put("budget", ledger);
    ClipLedger.Factory shared = () -> SHARED_LEDGER.get("budget");
    Highlight clipped = highlight("clipped");
    Highlight skipped = highlight("skipped");
    assertThat(clipOnce(shared, clipped).clip().status()).isEqualTo(ClipStatus.CREATED);
    // After a restore the budget judges them again: both over budget this time, one first seen.
    ClipResult over = ClipResult.withoutClip(ClipStatus.OVER_BUDGET, "over");
    try (OneInputStreamOperatorTestHarness<StoredHighlight, StoredHighlight> overBudget =
        new OneInputStreamOperatorTestHarness<>(
            new AsyncWaitOperatorFactory<>(
                new OverBudgetLedger(shared),
                1_000,
                10,
                org.apache.flink.streaming.api.datastream.AsyncDataStream.OutputMode.ORDERED),
            TypeInformation.of(StoredHighlight.class).createSerializer(new ExecutionConfig()))) {
      overBudget.open();
      overBudget.processElement(new StreamRecord<>(new StoredHighlight(clipped, over), 10));
      overBudget.processElement(new StreamRecord<>(new StoredHighlight(skipped, over), 10));
      overBudget.endInput();
      assertThat(overBudget.extractOutputValues())
          .extracting(s -> s.highlight().channel(), s -> s.clip().status(), s -> s.clip().clipId())
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("clipped", ClipStatus.CREATED, "clip-clipped:0"),
              org.assertj.core.groups.Tuple.tuple("skipped", ClipStatus.OVER_BUDGET, null));
    }
    // The moment left without a clip fires once more, within the budget now: not clipped late.
    assertThat(clipOnce(shared, skipped).clip().status()).isEqualTo(ClipStatus.OVER_BUDGET);
    assertThat(REQUESTS.get("clipped:0")).isEqualTo(1);
    assertThat(REQUESTS).doesNotContainKey("skipped:0");
  }

  /** {@code h} through a clip stage of its own (a job's run) with the {@code ledger}. */
  private static StoredHighlight clipOnce(ClipLedger.Factory ledger, Highlight h) throws Exception {
    try (OneInputStreamOperatorTestHarness<Highlight, StoredHighlight> clips =
        harness(
            new ClipCreation(
                countingCreator(), ledger, 15_000, (LongSupplier & Serializable) () -> 12_000),
            1_000)) {
      clips.open();
      clips.processElement(new StreamRecord<>(h, 10));
      clips.endInput();
      return clips.extractOutputValues().get(0);
    }
  }

  @Test
  void noClipWhenTheLedgerCannotBeReached() throws Exception {
    ClipCreation stage =
        new ClipCreation(
            countingCreator(),
            () ->
                new ClipLedger() {
                  @Override
                  public CompletableFuture<java.util.Optional<ClipResult>> claim(Highlight h) {
                    return CompletableFuture.failedFuture(new IllegalStateException("db down"));
                  }

                  @Override
                  public CompletableFuture<Void> record(Highlight h, ClipResult result) {
                    return CompletableFuture.completedFuture(null);
                  }
                },
            15_000,
            (LongSupplier & Serializable) () -> 12_000);
    try (OneInputStreamOperatorTestHarness<Highlight, StoredHighlight> harness =
        harness(stage, 1_000)) {
      harness.open();
      harness.processElement(new StreamRecord<>(highlight("nodb"), 10));
      harness.endInput();
      assertThat(harness.extractOutputValues())
          .singleElement()
          .satisfies(
              s -> {
                assertThat(s.clip().status()).isEqualTo(ClipStatus.FAILED);
                assertThat(s.clip().error()).contains("clip ledger unavailable");
              });
      assertThat(REQUESTS).doesNotContainKey("nodb:0");
    }
  }

  static final Map<String, ClipLedger> SHARED_LEDGER = new ConcurrentHashMap<>();

  private static ClipCreatorFactory countingCreator() {
    return () ->
        h -> {
          REQUESTS.merge(h.id(), 1, Integer::sum);
          return CompletableFuture.completedFuture(
              new ClipResult(ClipStatus.CREATED, "clip-" + h.id(), "url", "edit", null));
        };
  }

  private static OneInputStreamOperatorTestHarness<Highlight, StoredHighlight> harness(long timeout)
      throws Exception {
    ClipCreatorFactory factory =
        () -> h -> PENDING.computeIfAbsent(h.channel(), c -> new CompletableFuture<>());
    return harness(new ClipCreation(factory), timeout);
  }

  private static OneInputStreamOperatorTestHarness<Highlight, StoredHighlight> harness(
      AsyncFunction<Highlight, StoredHighlight> function, long timeout) throws Exception {
    OneInputStreamOperatorTestHarness<Highlight, StoredHighlight> harness =
        new OneInputStreamOperatorTestHarness<>(
            new AsyncWaitOperatorFactory<>(
                function,
                timeout,
                10,
                org.apache.flink.streaming.api.datastream.AsyncDataStream.OutputMode.UNORDERED),
            TypeInformation.of(Highlight.class).createSerializer(new ExecutionConfig()));
    return harness;
  }

  private static Highlight highlight(String channel) {
    PENDING.remove(channel);
    REQUESTS.remove(channel + ":0");
    return new Highlight(channel, channel, 0, 10_000, 10_000, 50, 5, 45, 4, 1, 30, 0, "default");
  }
}
