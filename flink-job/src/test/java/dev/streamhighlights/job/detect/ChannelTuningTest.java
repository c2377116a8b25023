package dev.streamhighlights.job.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChannelTuningTest {

  @TempDir Path dir;

  @Test
  void readsOverridesWithEmptyFieldsKeepingTheGlobalValue() throws Exception {
    Map<String, ChannelTuning> t =
        ChannelTuning.read(
            file("channel,threshold,min_count\n# a comment\nspammy,3.5,\n\ntiny,,2\nboth,2,10\n"));
    assertThat(t).containsOnlyKeys("spammy", "tiny", "both");
    SurgeRule variance = new VarianceAwareRule(10, 1.5, 5);
    VarianceAwareRule spammy = (VarianceAwareRule) t.get("spammy").rule(variance);
    assertThat(spammy.evaluate(new long[] {10, 10, 10, 10, 10, 10, 10, 10, 10, 10}, 10, 20).surge())
        .as("score 3.16 < 3.5")
        .isFalse();
    assertThat(t.get("tiny").rule(variance).evaluate(new long[10], 10, 3).surge())
        .as("3 messages after silence: min count 2 lets it through")
        .isTrue();
    assertThat(new ChannelTuning(Double.NaN, -1).rule(variance).evaluate(new long[10], 10, 3))
        .extracting(SurgeRule.Evaluation::surge)
        .isEqualTo(false);
  }

  @Test
  void tunesTheExcessRulesThresholdAndRefusesTheSeedRule() {
    ExcessRule excess = new ExcessRule(DetectorModel.shipped());
    long[] steady = {10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10};
    // excess of 20 after a baseline of 10: 10 / 11^0.7 = 1.87
    assertThat(excess.tuned(1.5, -1).evaluate(steady, 15, 20).score())
        .isEqualTo(excess.evaluate(steady, 15, 20).score());
    ExcessRule calm = (ExcessRule) new ChannelTuning(1.0, -1).rule(excess);
    assertThat(calm.model().threshold()).isEqualTo(1.0);
    assertThat(
            new ChannelTuning(Double.NaN, 30).rule(excess).evaluate(new long[30], 30, 20).surge())
        .as("min count 30 holds back 20 messages after silence")
        .isFalse();
    assertThatThrownBy(() -> new ChannelTuning(2.0, -1).rule(new SeedRule(10)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("seed rule cannot be tuned");
  }

  @Test
  void aBadFileIsAConfigurationErrorNamingTheLine() throws Exception {
    assertError("threshold,channel\n", "line 1: the first line must be");
    assertError("channel,threshold,min_count\na,x,\n", "line 2: threshold must be a number");
    assertError("channel,threshold,min_count\na,1\n", "line 2: expected channel,threshold");
    assertError("channel,threshold,min_count\na,1,0\n", "line 2: threshold must be from 0");
    assertError("channel,threshold,min_count\na,1,\na,2,\n", "line 3: channel 'a' is listed twice");
    assertThatThrownBy(() -> ChannelTuning.read(dir.resolve("missing.csv")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageEndingWith("does not exist");
  }

  private void assertError(String content, String message) throws Exception {
    Path f = file(content);
    assertThatThrownBy(() -> ChannelTuning.read(f))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  private Path file(String content) throws Exception {
    Path f = Files.createTempFile(dir, "tuning", ".csv");
    Files.writeString(f, content);
    return f;
  }
}
