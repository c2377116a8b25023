package dev.streamhighlights.irc.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Maps channel names as they appear in a line's bytes to their {@link Channel} record without
 * creating a String per message: open addressing over the bytes' hash. Written by one thread at a
 * time (the connection's), read by the same thread.
 */
public final class ChannelTable {

  /** What a connection knows of one joined channel. */
  public static final class Channel {
    public final String name;
    final byte[] bytes;

    /** Twitch's room id, learned from ROOMSTATE or the first message; null until then. */
    public volatile String roomId;

    /**
     * Set when the server confirms a JOIN (and from the start): the channel's next message is
     * preceded by a watch-start marker with its time. Written and read by the connection's thread.
     */
    public boolean watchStartPending = true;

    Channel(String name) {
      this.name = name;
      this.bytes = name.getBytes(StandardCharsets.US_ASCII);
    }
  }

  private Channel[] slots = new Channel[16];
  private int size;

  public Channel add(String name) {
    Channel existing = get(name);
    if (existing != null) {
      return existing;
    }
    if ((size + 1) * 2 > slots.length) {
      rehash(slots.length * 2);
    }
    Channel c = new Channel(name);
    insert(c);
    size++;
    return c;
  }

  public Channel get(String name) {
    byte[] b = name.getBytes(StandardCharsets.US_ASCII);
    return lookup(b, 0, b.length);
  }

  public Channel lookup(byte[] buf, int from, int to) {
    int mask = slots.length - 1;
    for (int i = hash(buf, from, to) & mask; ; i = (i + 1) & mask) {
      Channel c = slots[i];
      if (c == null) {
        return null;
      }
      if (Arrays.equals(c.bytes, 0, c.bytes.length, buf, from, to)) {
        return c;
      }
    }
  }

  public void remove(String name) {
    if (get(name) == null) {
      return;
    }
    Channel[] old = slots;
    slots = new Channel[old.length];
    size = 0;
    for (Channel c : old) {
      if (c != null && !c.name.equals(name)) {
        insert(c);
        size++;
      }
    }
  }

  /** A copy, so a writer can change it while readers keep using the old one. */
  public ChannelTable copy() {
    ChannelTable t = new ChannelTable();
    t.slots = slots.clone();
    t.size = size;
    return t;
  }

  public java.util.List<String> names() {
    java.util.List<String> names = new java.util.ArrayList<>(size);
    for (Channel c : slots) {
      if (c != null) {
        names.add(c.name);
      }
    }
    return names;
  }

  public int size() {
    return size;
  }

  private void rehash(int capacity) {
    Channel[] old = slots;
    slots = new Channel[capacity];
    for (Channel c : old) {
      if (c != null) {
        insert(c);
      }
    }
  }

  private void insert(Channel c) {
    int mask = slots.length - 1;
    int i = hash(c.bytes, 0, c.bytes.length) & mask;
    while (slots[i] != null) {
      i = (i + 1) & mask;
    }
    slots[i] = c;
  }

  private static int hash(byte[] b, int from, int to) {
    int h = 0;
    for (int i = from; i < to; i++) {
      h = 31 * h + b[i];
    }
    return h ^ (h >>> 16);
  }
}
