package dev.streamhighlights.job.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ClipStatusTest {

  @Test
  void everyStatusIsWrittenAsTheStringStoredDataAndConsumersKnow() {
    assertThat(Arrays.stream(ClipStatus.values()).map(ClipStatus::wire))
        .containsExactly(
            "created",
            "failed",
            "restricted",
            "channel-offline",
            "rate-limited",
            "unauthorized",
            "no-credentials",
            "timeout",
            "offline",
            "stale",
            "interrupted",
            "over-budget");
  }

  @Test
  void aWireStringReadsBackAsItsStatusAndAnUnknownOneIsRefused() {
    for (ClipStatus s : ClipStatus.values()) {
      assertThat(ClipStatus.ofWire(s.wire())).isSameAs(s);
      assertThat(s).hasToString(s.wire());
    }
    assertThatThrownBy(() -> ClipStatus.ofWire("CREATED"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'CREATED'");
  }
}
