package dev.streamhighlights.job.clip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamhighlights.job.model.ClipResult;
import dev.streamhighlights.job.model.Highlight;
import dev.streamhighlights.job.model.StoredHighlight;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
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
      PENDING.get("fast").complete(new ClipResult(ClipResult.CREATED, "id", "url", "edit", null));

      harness.setProcessingTime(1_001);
      PENDING.get("slow").complete(new ClipResult(ClipResult.CREATED, "late", "url", "edit", null));
      harness.endInput();

      assertThat(harness.extractOutputValues())
          .extracting(s -> s.highlight().channel(), s -> s.clip().status())
          .containsExactlyInAnyOrder(
              org.assertj.core.groups.Tuple.tuple("fast", ClipResult.CREATED),
              org.assertj.core.groups.Tuple.tuple("slow", ClipResult.TIMEOUT));
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
                assertThat(s.clip().status()).isEqualTo(ClipResult.FAILED);
                assertThat(s.clip().error()).contains("boom");
              });
    }
  }

  private static OneInputStreamOperatorTestHarness<Highlight, StoredHighlight> harness(long timeout)
      throws Exception {
    ClipCreatorFactory factory =
        () -> h -> PENDING.computeIfAbsent(h.channel(), c -> new CompletableFuture<>());
    AsyncFunction<Highlight, StoredHighlight> function = new ClipCreation(factory);
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
    return new Highlight(channel, channel, 0, 10_000, 10_000, 50, 5, 45, 4, 1, 30, 0, "default");
  }
}
