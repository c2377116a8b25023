package dev.streamhighlights.simulator;

import static dev.streamhighlights.simulator.ChatLines.normalizeChannel;
import static dev.streamhighlights.simulator.ChatLines.requireSingleLine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;

/**
 * A Twitch chat server on 127.0.0.1 that speaks the real wire protocol, both as plain IRC over TCP
 * and as IRC over WebSocket (ws://, no TLS), so the IRC source can be tested against real sockets.
 *
 * <p>Both ports share all state. Channel names are accepted with or without a leading '#', in any
 * case, and are reported lower case without '#', like {@code ChatMessage.channel()}.
 *
 * <p>Every "sent" count means the line was handed to the output stream of a live client socket
 * (logged in, not closed, not frozen) without an error, counted once per client it was written to.
 * Sends run on the calling thread so the counts are final when they return; a client that stops
 * reading therefore blocks the sender, as TCP would, until it reads again or {@link #close} runs.
 */
public final class ChatServer implements AutoCloseable {

  /** Lines per write, so per WebSocket frame: a burst arrives in several frames, as from Twitch. */
  private static final int MAX_LINES_PER_FRAME = 10;

  /** A bulk send writes a client's lines in pieces of about this size. */
  private static final int BULK_WRITE_BYTES = 256 * 1024;

  private static final long RECONNECT_CLOSE_DELAY_MILLIS = 100;

  private static final long POLL_MILLIS = 5;

  /** A live connection: its login (lower case) and the channels it has joined. */
  public record Connection(String nick, Set<String> channels) {}

  /**
   * A login joined a channel (confirmed), or left it with PART while it held it. Connections that
   * close leave their channels without one.
   */
  public record Membership(String nick, String channel, boolean joined) {}

  private final ChatSettings settings = new ChatSettings();
  private final ChatStats stats = new ChatStats();
  private final ChatPorts ports;
  private final ScheduledExecutorService scheduler;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicLong messageSeq = new AtomicLong();

  private final Object liveIndexLock = new Object();
  private Map<String, List<ChatSession>> liveIndex; // guarded by liveIndexLock
  private long liveIndexChanges; // guarded by liveIndexLock
  private Set<ChatSession> liveIndexSessions; // guarded by liveIndexLock

  private ChatServer() throws IOException {
    ports = ChatPorts.open(settings, stats);
    scheduler = Executors.newSingleThreadScheduledExecutor(ports.daemon("scheduler"));
  }

  /** Binds both ports on 127.0.0.1 and starts accepting. */
  public static ChatServer start() {
    try {
      return new ChatServer();
    } catch (IOException e) {
      throw new UncheckedIOException("could not bind the fake Twitch chat", e);
    }
  }

  /** {@code irc://127.0.0.1:<port>} of the plain TCP IRC port. */
  public URI ircUri() {
    return URI.create("irc://127.0.0.1:" + ports.ircPort());
  }

  /** {@code ws://127.0.0.1:<port>} of the WebSocket port. */
  public URI wsUri() {
    return URI.create("ws://127.0.0.1:" + ports.wsPort());
  }

  // ---------------------------------------------------------------- knobs

  /** Room id to report for the channel; unregistered channels get one derived from the name. */
  public void setRoomId(String channel, String roomId) {
    settings.setRoomId(normalizeChannel(channel), roomId);
  }

  /**
   * An account (login name) that sends more than {@code joins} channel joins within {@code window},
   * over all its connections, has the connection that broke the limit dropped. Applies to every
   * account without limits of its own.
   */
  public void setJoinLimit(int joins, Duration window) {
    settings.setJoinLimit(joins, window);
  }

  /**
   * An account that would hold more than {@code channels} channels joined at once, over all its
   * connections, has the connection that asked for one more dropped (Twitch: 100 for a logged-in
   * account). Applies to every account without limits of its own; unlimited unless set.
   */
  public void setChannelCap(int channels) {
    settings.setChannelCap(channels);
  }

  /** Limits for one account (any case), in place of the ones every account has. */
  public void setIdentityLimits(String nick, int joins, Duration window, int channelCap) {
    settings.setLimits(
        nick.toLowerCase(java.util.Locale.ROOT),
        new ChatSettings.Limits(joins, window.toNanos(), channelCap));
  }

  /** While true every login gets "Login authentication failed" and is closed. */
  public void setLoginsFail(boolean fail) {
    settings.setLoginsFail(fail);
  }

  // ---------------------------------------------------------------- sending

  /** Sends {@code count} PRIVMSGs, each with a fresh id; returns the lines written. */
  public int sendMessages(String channel, long tmiSentTs, int count) {
    String ch = normalizeChannel(channel);
    String roomId = settings.roomIdOf(ch);
    List<String> lines = new ArrayList<>(Math.max(count, 0));
    for (int i = 0; i < count; i++) {
      lines.add(ChatLines.privmsg(ch, roomId, tmiSentTs, null, messageSeq.incrementAndGet()));
    }
    return sendToChannel(ch, lines, n -> stats.privmsgsWritten(ch, tmiSentTs, n));
  }

  /**
   * Sends many channels' chat at once: {@code counts.get(channel)} PRIVMSGs to each, all stamped
   * {@code tmiSentTs}, each with a fresh id. Every client gets its share in socket writes of about
   * 256 KB (in frames of at most {@value #MAX_LINES_PER_FRAME} lines on WebSocket), so a load
   * generator can offer a million messages a second; {@link #sendMessages(String, long, int)}
   * writes once per channel and client. Returns the lines written, summed over clients.
   */
  public long sendMessages(Map<String, Integer> counts, long tmiSentTs) {
    Map<String, List<ChatSession>> byChannel = liveChannels();
    Map<ChatSession, Pending> pending = new IdentityHashMap<>();
    SplittableRandom ids = new SplittableRandom(messageSeq.get() ^ tmiSentTs);
    PrivmsgEncoder encoder = new PrivmsgEncoder(tmiSentTs);
    long written = 0;
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      String ch = normalizeChannel(e.getKey());
      List<ChatSession> to = byChannel.get(ch);
      int count = e.getValue();
      if (to == null || count <= 0) {
        continue;
      }
      PrivmsgEncoder.Channel channel = new PrivmsgEncoder.Channel(ch, settings.roomIdOf(ch));
      for (int from = 0; from < count; from += MAX_LINES_PER_FRAME) {
        int n = Math.min(count - from, MAX_LINES_PER_FRAME);
        long seq = messageSeq.getAndAdd(n) + 1;
        for (int i = 0; i < n; i++) {
          // A version 4 (random) UUID, as Twitch's message ids are.
          long high = ids.nextLong() & ~0xf000L | 0x4000L;
          long low = ids.nextLong() & 0x3fffffffffffffffL | 0x8000000000000000L;
          encoder.append(channel, seq + i, high, low);
        }
        byte[] unit = encoder.take();
        for (ChatSession s : to) {
          Pending p = pending.computeIfAbsent(s, k -> new Pending());
          p.add(ch, unit, n);
          if (p.bytes >= BULK_WRITE_BYTES) {
            written += p.writeTo(s, tmiSentTs);
          }
        }
      }
    }
    for (Map.Entry<ChatSession, Pending> e : pending.entrySet()) {
      written += e.getValue().writeTo(e.getKey(), tmiSentTs);
    }
    return written;
  }

  /**
   * The live clients of every joined channel, rebuilt only when a JOIN or PART took effect or a
   * client came, went or froze since the last call: at 100,000 channels, rebuilding it for every
   * bulk send cost the load generator more than the sends.
   */
  private Map<String, List<ChatSession>> liveChannels() {
    synchronized (liveIndexLock) {
      // Read before the channel sets: a change counted later was made later, and forces a rebuild.
      long changes = stats.membershipChanges();
      Set<ChatSession> live = Collections.newSetFromMap(new IdentityHashMap<>());
      for (ChatSession s : ports.sessions()) {
        if (s.isLive()) {
          live.add(s);
        }
      }
      if (liveIndex == null || changes != liveIndexChanges || !live.equals(liveIndexSessions)) {
        Map<String, List<ChatSession>> byChannel = new HashMap<>();
        for (ChatSession s : live) {
          for (String ch : s.joined()) {
            byChannel.computeIfAbsent(ch, k -> new ArrayList<>(1)).add(s);
          }
        }
        liveIndex = byChannel;
        liveIndexChanges = changes;
        liveIndexSessions = live;
      }
      return liveIndex;
    }
  }

  /** A bulk send's lines for one client, written when they reach {@link #BULK_WRITE_BYTES}. */
  private final class Pending {
    final List<byte[]> units = new ArrayList<>();
    final Map<String, Integer> lines = new HashMap<>();
    int bytes;

    void add(String channel, byte[] unit, int n) {
      units.add(unit);
      lines.merge(channel, n, Integer::sum);
      bytes += unit.length;
    }

    /** Writes what is pending; returns the PRIVMSG lines that reached the client. */
    long writeTo(ChatSession session, long tmiSentTs) {
      long written = 0;
      if (!units.isEmpty() && session.writeUnits(units)) {
        for (Map.Entry<String, Integer> n : lines.entrySet()) {
          stats.privmsgsWritten(n.getKey(), tmiSentTs, n.getValue());
          written += n.getValue();
        }
      }
      units.clear();
      lines.clear();
      bytes = 0;
      return written;
    }
  }

  /**
   * Sends one Shared Chat copy: a PRIVMSG whose {@code source-room-id} names another channel. It
   * counts in {@link #sentPerWindow} like any PRIVMSG.
   */
  public int sendSharedChatCopy(String channel, String sourceRoomId, long tmiSentTs) {
    String ch = normalizeChannel(channel);
    String line =
        ChatLines.privmsg(
            ch, settings.roomIdOf(ch), tmiSentTs, sourceRoomId, messageSeq.incrementAndGet());
    return sendToChannel(ch, List.of(line), n -> stats.privmsgsWritten(ch, tmiSentTs, n));
  }

  /** Sends one USERNOTICE ("raid", "sub", "resub" get their usual msg-param tags). */
  public int sendUserNotice(String channel, String msgId, long tmiSentTs) {
    String ch = normalizeChannel(channel);
    String line = ChatLines.userNotice(ch, settings.roomIdOf(ch), msgId, tmiSentTs);
    return sendToChannel(ch, List.of(line), n -> {});
  }

  /** Sends any line to the clients in the channel; not counted as a PRIVMSG whatever it holds. */
  public int sendRaw(String channel, String line) {
    requireSingleLine(line);
    return sendToChannel(normalizeChannel(channel), List.of(line), n -> {});
  }

  /** Sends {@code PING :tmi.twitch.tv} to every connection, logged in or not. */
  public void pingAll() {
    for (ChatSession s : ports.sessions()) {
      s.write(List.of(ChatLines.ping()));
    }
  }

  /** Sends RECONNECT to every connection and closes those about 100 ms later. */
  public void reconnectAll() {
    for (ChatSession s : ports.sessions()) {
      if (s.write(List.of(ChatLines.reconnect()))) {
        try {
          scheduler.schedule(
              () -> s.close(false), RECONNECT_CLOSE_DELAY_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
          s.close(false); // already shutting down
        }
      }
    }
  }

  /** Resets every client socket (frozen ones too) without a goodbye. */
  public void dropAll() {
    for (ChatSession s : ports.sessions()) {
      s.close(true);
    }
  }

  /**
   * Makes every current connection hang: the socket stays open but nothing more is read from or
   * written to it. Connections accepted afterwards work normally.
   */
  public void freezeAll() {
    for (ChatSession s : ports.sessions()) {
      s.freeze();
    }
  }

  // ---------------------------------------------------------------- observation

  /** Connections that are logged in, not closed and not frozen. */
  public int connectedClients() {
    int n = 0;
    for (ChatSession s : ports.sessions()) {
      if (s.isLive()) {
        n++;
      }
    }
    return n;
  }

  /** Connections accepted so far on both ports. */
  public int totalConnections() {
    return stats.totalConnections();
  }

  /** Channels joined by live clients, lower case without '#'. */
  public Set<String> joinedChannels() {
    Set<String> joined = new HashSet<>();
    for (ChatSession s : ports.sessions()) {
      if (s.isLive()) {
        joined.addAll(s.joined());
      }
    }
    return joined;
  }

  /**
   * Every live connection with its login and joined channels (a snapshot): which client reads which
   * channel, and whether any channel is read by two.
   */
  public List<Connection> liveConnections() {
    List<Connection> live = new ArrayList<>();
    for (ChatSession s : ports.sessions()) {
      if (s.isLive()) {
        live.add(new Connection(s.nick(), Set.copyOf(s.joined())));
      }
    }
    return live;
  }

  /** Every confirmed JOIN and every PART of a joined channel so far, in order. */
  public List<Membership> memberships() {
    return stats.memberships();
  }

  /** Waits until every channel is joined by some live client; true if that happened in time. */
  public boolean awaitJoined(Collection<String> channels, Duration timeout) {
    Set<String> wanted = new HashSet<>();
    for (String channel : channels) {
      wanted.add(normalizeChannel(channel));
    }
    return await(() -> joinedChannels().containsAll(wanted), timeout);
  }

  /** Every line received from any client, in arrival order, without line endings. */
  public List<String> received() {
    return stats.received();
  }

  /**
   * PRIVMSG lines written for the channel, keyed by the start of their tmi-sent-ts window (epoch
   * millis, aligned to multiples of {@code windowMillis}), sorted by key.
   */
  public Map<Long, Long> sentPerWindow(String channel, long windowMillis) {
    return stats.privmsgsPerWindow(normalizeChannel(channel), windowMillis);
  }

  /** Connections closed for joining too fast. */
  public int joinLimitDisconnects() {
    return stats.joinLimitDisconnects();
  }

  /** Connections closed for holding more channels than their account may. */
  public int channelCapDisconnects() {
    return stats.channelCapDisconnects();
  }

  /** Every account (lower case) that logged in so far, sorted. */
  public Set<String> loggedInNicks() {
    return ports.ledger().nicks();
  }

  /** The most channels the account held joined at once, over all its connections. */
  public int maxChannelsHeld(String nick) {
    return ports.ledger().maxHeld(nick.toLowerCase(java.util.Locale.ROOT));
  }

  /** Channel joins the account sent within its limits. */
  public long joinsAccepted(String nick) {
    return ports.ledger().joins(nick.toLowerCase(java.util.Locale.ROOT));
  }

  /** Stops accepting and closes every socket; safe to call twice. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    ports.close();
    scheduler.shutdownNow();
  }

  /** Writes the lines, in frames, to every live client in the channel; returns lines written. */
  private int sendToChannel(String channel, List<String> lines, IntConsumer onWritten) {
    int written = 0;
    for (ChatSession s : ports.sessions()) {
      if (!s.isLive() || !s.joined().contains(channel)) {
        continue;
      }
      for (int from = 0; from < lines.size(); from += MAX_LINES_PER_FRAME) {
        List<String> chunk =
            lines.subList(from, Math.min(lines.size(), from + MAX_LINES_PER_FRAME));
        if (!s.write(chunk)) {
          break; // frozen or closed meanwhile: nothing more reaches this client
        }
        written += chunk.size();
        onWritten.accept(chunk.size());
      }
    }
    return written;
  }

  private static boolean await(BooleanSupplier condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (condition.getAsBoolean()) {
        return true;
      }
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }
}
