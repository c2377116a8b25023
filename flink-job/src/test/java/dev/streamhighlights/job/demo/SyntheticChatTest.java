package dev.streamhighlights.job.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamhighlights.irc.model.ChatMessage;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SyntheticChatTest {

  @Test
  void theSameIndexGivesTheSameMessage() {
    SyntheticChat a = new SyntheticChat(20, 100, 1_000_000, 7);
    SyntheticChat b = new SyntheticChat(20, 100, 1_000_000, 7);
    for (long i = 0; i < 5_000; i += 37) {
      assertThat(a.map(i)).isEqualTo(b.map(i));
    }
  }

  @Test
  void eventTimeAdvancesAtTheConfiguredRate() {
    SyntheticChat chat = new SyntheticChat(20, 100, 1_000_000, 7);
    assertThat(chat.map(0L).eventTime()).isEqualTo(1_000_000);
    assertThat(chat.map(1_000L).eventTime()).isEqualTo(1_010_000);
  }

  @Test
  void channelsRangeFromQuietToBusyAndAllAppear() {
    SyntheticChat chat = new SyntheticChat(20, 100, 0, 7);
    Map<String, Integer> counts = new HashMap<>();
    for (long i = 0; i < 200_000; i++) {
      ChatMessage m = chat.map(i);
      counts.merge(m.channel(), 1, Integer::sum);
    }
    assertThat(counts).hasSize(20);
    int min = counts.values().stream().min(Integer::compare).orElseThrow();
    int max = counts.values().stream().max(Integer::compare).orElseThrow();
    assertThat(max).isGreaterThan(10 * min);
  }

  @Test
  void burstsHappenAndRaiseTheRateSeveralFold() {
    SyntheticChat chat = new SyntheticChat(20, 100, 0, 7);
    int burstSeconds = 0;
    for (int c = 0; c < 20; c++) {
      for (long s = 0; s < 3_600; s++) {
        double m = chat.multiplier(c, s * 1000);
        if (m > 1) {
          assertThat(m).isBetween(4.0, 12.0);
          burstSeconds++;
        }
      }
    }
    // about 12 % of minutes hold a 10-30 s burst: roughly 2-5 % of all channel-seconds
    assertThat(burstSeconds).isBetween(20 * 3_600 / 100, 20 * 3_600 / 10);
  }
}
