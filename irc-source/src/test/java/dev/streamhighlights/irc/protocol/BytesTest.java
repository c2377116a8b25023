package dev.streamhighlights.irc.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class BytesTest {

  @Test
  void findsTheSameIndexAsAPlainLoop() {
    Random r = new Random(42);
    for (int round = 0; round < 2_000; round++) {
      byte[] b = new byte[r.nextInt(100)];
      for (int i = 0; i < b.length; i++) {
        b[i] = (byte) (r.nextInt(8) == 0 ? ';' : r.nextInt(256));
      }
      int from = b.length == 0 ? 0 : r.nextInt(b.length);
      int to = from + (b.length == from ? 0 : r.nextInt(b.length - from + 1));
      int expected = -1;
      for (int i = from; i < to; i++) {
        if (b[i] == ';') {
          expected = i;
          break;
        }
      }
      assertThat(Bytes.indexOf(b, from, to, (byte) ';')).isEqualTo(expected);
    }
  }

  @Test
  void findsBytesWithTheHighBitSet() {
    byte[] b = {1, 2, 3, 4, 5, 6, 7, 8, 9, (byte) 0xFF, 0};
    assertThat(Bytes.indexOf(b, 0, b.length, (byte) 0xFF)).isEqualTo(9);
    assertThat(Bytes.indexOf(b, 0, b.length, (byte) 0)).isEqualTo(10);
  }

  @Test
  void findsEitherOfTwoBytesAtTheSameIndexAsAPlainLoop() {
    Random r = new Random(43);
    for (int round = 0; round < 5_000; round++) {
      byte[] b = new byte[r.nextInt(100)];
      for (int i = 0; i < b.length; i++) {
        int k = r.nextInt(12);
        b[i] = (byte) (k == 0 ? ';' : k == 1 ? ' ' : k == 2 ? ';' - 1 : r.nextInt(256));
      }
      int from = b.length == 0 ? 0 : r.nextInt(b.length);
      int to = from + (b.length == from ? 0 : r.nextInt(b.length - from + 1));
      int expected = -1;
      for (int i = from; i < to; i++) {
        if (b[i] == ';' || b[i] == ' ') {
          expected = i;
          break;
        }
      }
      assertThat(Bytes.indexOfEither(b, from, to, (byte) ';', (byte) ' ')).isEqualTo(expected);
    }
  }
}
