package dev.streamhighlights.simulator;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PrivmsgEncoderTest {

  @Test
  void encodesTheSameBytesAsChatLines() {
    long ts = 1_733_000_123_456L;
    PrivmsgEncoder encoder = new PrivmsgEncoder(ts);
    PrivmsgEncoder.Channel alpha = new PrivmsgEncoder.Channel("alpha", "1001");
    PrivmsgEncoder.Channel longName =
        new PrivmsgEncoder.Channel("a_very_longNamechannel_name", "98765");
    SplittableRandom random = new SplittableRandom(7);
    StringBuilder expected = new StringBuilder();
    long[][] ids = {
      {0, 0}, {-1, -1}, {Long.MIN_VALUE, 1}, {0x0123456789abcdefL, 0xfedcba9876543210L}
    };
    long[] seqs = {0, 1, 9, 10, 49, 50, 99, 12_345_678_901L, Long.MAX_VALUE};
    for (long seq : seqs) {
      for (long[] id : ids) {
        PrivmsgEncoder.Channel ch = random.nextBoolean() ? alpha : longName;
        String name = ch == alpha ? "alpha" : "a_very_longNamechannel_name";
        String room = ch == alpha ? "1001" : "98765";
        encoder.append(ch, seq, id[0], id[1]);
        expected
            .append(ChatLines.privmsg(name, room, ts, null, seq, new UUID(id[0], id[1])))
            .append("\r\n");
      }
    }

    assertThat(new String(encoder.take(), UTF_8)).isEqualTo(expected.toString());
    encoder.append(alpha, 3, 1, 2);
    assertThat(new String(encoder.take(), UTF_8))
        .as("take starts afresh")
        .isEqualTo(ChatLines.privmsg("alpha", "1001", ts, null, 3, new UUID(1, 2)) + "\r\n");
  }
}
