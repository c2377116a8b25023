package dev.streamhighlights.job.clip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamhighlights.job.model.ClipStatus;
import dev.streamhighlights.job.model.Highlight;
import dev.streamhighlights.job.model.StoredHighlight;
import dev.streamhighlights.job.testing.TestHelix;
import dev.streamhighlights.simulator.HelixServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.functions.DefaultOpenContext;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.util.MockStreamingRuntimeContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The clip stage against the fake Helix when Twitch's clip-creation budget is tight. */
class GlobalClipBudgetTest {

  @TempDir Path dir;

  @Test
  void aTightClipCreationBudgetGoesToTheHighestScores() throws Exception {
    try (HelixServer helix = TestHelix.start()) {
      helix.setClipCreationLimit(10);
      ClipCreation stage =
          new ClipCreation(TestHelix.clips(helix, dir), ClipLedger.inMemory(), Long.MAX_VALUE);
      stage.setRuntimeContext(new MockStreamingRuntimeContext(false, 1, 0));
      stage.open(DefaultOpenContext.INSTANCE);
      List<StoredHighlight> stored = new ArrayList<>();
      try {
        // 40 moments alternating weak and strong, each handled before the next.
        for (int i = 0; i < 40; i++) {
          stored.add(clip(stage, highlight(i, i % 2 == 0 ? 0.2 : 0.8 + i / 1000.0)));
        }
      } finally {
        stage.close();
      }

      // Requested from Twitch (the last may fail its confirmation: an empty clip-creation budget
      // holds back the client's polls until the reset).
      List<StoredHighlight> created =
          stored.stream().filter(s -> s.clip().status() != ClipStatus.OVER_BUDGET).toList();
      assertThat(created).as("never more clips than Twitch allows").hasSizeLessThanOrEqualTo(10);
      assertThat(helix.creates()).hasSameSizeAs(created);
      // Half the budget is spent freely (6 clips, the sixth leaving 4 of 10); after that only
      // strong moments get the rest.
      List<StoredHighlight> afterHalf = created.subList(6, created.size());
      assertThat(afterHalf).isNotEmpty();
      assertThat(afterHalf).allSatisfy(s -> assertThat(s.highlight().score()).isGreaterThan(0.5));
      assertThat(stored)
          .filteredOn(s -> s.clip().status() == ClipStatus.OVER_BUDGET)
          .hasSize(40 - created.size())
          .allSatisfy(s -> assertThat(s.clip().error()).contains("clip-creation budget"));
      long strongClipped = created.stream().filter(s -> s.highlight().score() > 0.5).count();
      assertThat(strongClipped).isGreaterThanOrEqualTo(7);
      assertThat(created).as("the budget is used").hasSizeGreaterThanOrEqualTo(9);
    }
  }

  @Test
  void spendsFreelyWhileHalfTheBudgetIsLeftAndNothingWhenNoneIs() {
    GlobalClipBudget budget = new GlobalClipBudget();
    assertThat(budget.verdict(0.1, null)).as("unknown budget").isNull();
    assertThat(budget.verdict(0.1, new ClipCreator.Budget(50, 100))).isNull();
    for (int i = 0; i < 20; i++) {
      budget.verdict(i / 20.0, new ClipCreator.Budget(100, 100));
    }
    // A quarter left: only the top eighth of recent scores.
    assertThat(budget.verdict(0.3, new ClipCreator.Budget(25, 100))).isNotNull();
    assertThat(budget.verdict(0.9, new ClipCreator.Budget(25, 100))).isNull();
    assertThat(budget.verdict(0.99, new ClipCreator.Budget(0, 100))).contains("used up");
  }

  private static StoredHighlight clip(ClipCreation stage, Highlight h) throws Exception {
    CompletableFuture<StoredHighlight> done = new CompletableFuture<>();
    stage.asyncInvoke(
        h,
        new ResultFuture<>() {
          @Override
          public void complete(Collection<StoredHighlight> result) {
            done.complete(result.iterator().next());
          }

          @Override
          public void completeExceptionally(Throwable error) {
            done.completeExceptionally(error);
          }
        });
    return done.get(30, TimeUnit.SECONDS);
  }

  private static Highlight highlight(int i, double score) {
    long t = System.currentTimeMillis();
    String channel = "channel" + i;
    return new Highlight(
        channel, "id" + i, t - 10_000, t, t, 50, 5, 45, score, 1, 30, t - 10_000, "excess");
  }
}
