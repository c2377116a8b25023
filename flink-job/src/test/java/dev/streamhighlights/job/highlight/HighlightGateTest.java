package dev.streamhighlights.job.highlight;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamhighlights.job.model.Highlight;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HighlightGateTest {

  private static final long COOLDOWN = 30_000;
  private static final long RETENTION = 600_000;

  private KeyedOneInputStreamOperatorTestHarness<String, Highlight, Highlight> harness;

  @BeforeEach
  void setUp() throws Exception {
    harness =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new HighlightGate(COOLDOWN, RETENTION)),
            Highlight::channel,
            Types.STRING);
    harness.open();
  }

  @AfterEach
  void tearDown() throws Exception {
    harness.close();
  }

  @Test
  void letsOneHighlightThroughPerRunOfSurges() throws Exception {
    send("a", 100_000, 100_000);
    send("a", 110_000, 100_000);
    send("a", 150_000, 100_000); // still the same run, after the cooldown
    assertThat(harness.extractOutputValues())
        .extracting(Highlight::windowStart)
        .containsExactly(100_000L);
  }

  @Test
  void suppressesANewRunWithinTheCooldown() throws Exception {
    send("a", 100_000, 100_000);
    send("a", 120_000, 120_000); // new run, 20 s later
    send("a", 140_000, 140_000); // new run, 40 s after the first clip
    assertThat(harness.extractOutputValues())
        .extracting(Highlight::windowStart)
        .containsExactly(100_000L, 140_000L);
  }

  @Test
  void appliesTheCooldownPerChannel() throws Exception {
    send("a", 100_000, 100_000);
    send("b", 100_000, 100_000);
    assertThat(harness.extractOutputValues()).hasSize(2);
  }

  @Test
  void forgetsAChannelAfterTheRetentionTime() throws Exception {
    send("a", 100_000, 100_000);
    assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
    harness.processWatermark(110_000 + RETENTION);
    assertThat(harness.numKeyedStateEntries()).isZero();
  }

  private void send(String channel, long windowStart, long runStart) throws Exception {
    long end = windowStart + 10_000;
    harness.processElement(
        new StreamRecord<>(
            new Highlight(
                channel, channel, windowStart, end, end, 50, 5, 45, 4, 1, 30, runStart, "default"),
            end - 1));
  }
}
