package dev.streamhighlights.irc.protocol;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Byte search eight bytes at a time (SWAR): chat lines are long (about 450 bytes, mostly tags and
 * text the job never looks at), so finding line ends and tag separators is most of the parsing.
 */
public final class Bytes {

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  private Bytes() {}

  /** The index of the first {@code b} in {@code buf[from, to)}, or -1. */
  public static int indexOf(byte[] buf, int from, int to, byte b) {
    long pattern = (b & 0xFFL) * ONES;
    int i = from;
    for (; i + 8 <= to; i += 8) {
      long x = (long) LONGS.get(buf, i) ^ pattern;
      long found = (x - ONES) & ~x & HIGHS;
      if (found != 0) {
        return i + (Long.numberOfTrailingZeros(found) >>> 3);
      }
    }
    for (; i < to; i++) {
      if (buf[i] == b) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The index of the first {@code a} or {@code b} in {@code buf[from, to)}, or -1: one pass where
   * two searches would read the bytes twice (a chat line's tags end at the first space and split at
   * ';').
   */
  public static int indexOfEither(byte[] buf, int from, int to, byte a, byte b) {
    long pa = (a & 0xFFL) * ONES;
    long pb = (b & 0xFFL) * ONES;
    int i = from;
    for (; i + 8 <= to; i += 8) {
      long word = (long) LONGS.get(buf, i);
      long xa = word ^ pa;
      long xb = word ^ pb;
      // The lowest flagged byte is a true match of one of them (a borrow only flags higher bytes).
      long found = ((xa - ONES) & ~xa | (xb - ONES) & ~xb) & HIGHS;
      if (found != 0) {
        return i + (Long.numberOfTrailingZeros(found) >>> 3);
      }
    }
    for (; i < to; i++) {
      if (buf[i] == a || buf[i] == b) {
        return i;
      }
    }
    return -1;
  }
}
