package dev.streamhighlights.irc.connection;

import dev.streamhighlights.irc.model.ChatMessage;
import dev.streamhighlights.irc.protocol.ChannelTable;
import dev.streamhighlights.irc.protocol.IrcCommands;
import dev.streamhighlights.irc.protocol.TwitchLine;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One chat connection and its thread: connects, logs in, reads lines, answers PINGs, follows
 * RECONNECT, and reconnects with backoff (0, 1, 2, 4, ... s) after any drop, rejoining its
 * channels. JOINs and the liveness check are driven by the {@link ChatClient}'s scheduler, so one
 * rate limit covers all connections of an identity.
 */
final class IrcConnection implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(IrcConnection.class);

  private final int id;
  private final ChatSettings settings;
  private final TransportFactory transports;
  private final ChatListener listener;
  private final ChatStats stats;
  private final String nick;
  private final String token;
  private final Thread thread;
  private final TwitchLine line = new TwitchLine();

  private volatile boolean stopped;
  private volatile boolean gaveUp;
  private volatile LineTransport transport;
  private volatile boolean loggedIn;
  private volatile long lastLineNanos;
  private volatile long pingSentNanos;
  private volatile ChannelTable channels = new ChannelTable();
  private final Set<String> pendingJoins = new LinkedHashSet<>();
  private final Set<String> joined = ConcurrentHashMap.newKeySet();

  /**
   * Channels left with a PART the server has not confirmed yet: until it does, the server may still
   * count them against the identity's channel cap.
   */
  private final Set<String> partsInFlight = ConcurrentHashMap.newKeySet();

  private int failedAttempts;
  private int loginFailuresInARow;

  /** Messages of the current read, added to the shared counters once per read. */
  private long messagesInRead;

  private long lastEventTimeInRead = -1;

  /**
   * How long a connection must have waited for the network before the next message is taken to be
   * fresh. A read that returns at once may hold a backlog (bytes that waited in the socket while
   * the job was slow); one that waited this long found the socket empty when it started.
   */
  static final long SETTLE_MILLIS = 100;

  /**
   * Wall-clock time (ms) since which the thread has handed over everything it read and waits for
   * more; 0 while it works through a read. Written by the connection thread, read by the reader.
   */
  private volatile long waitingSince = System.currentTimeMillis();

  /**
   * Lower bound on the {@code tmi-sent-ts} of messages still to come from this connection while it
   * works through a read (or may be about to read a backlog): the server sends in its time order,
   * so what follows a message is not older than it by more than the out-of-orderness.
   */
  private volatile long eventTimeFloor = System.currentTimeMillis();

  /** Whether the current read has started being handed over (connection thread only). */
  private boolean readStarted;

  private long futureLogged;

  /**
   * Messages read but not yet handed over (connection thread only): a read's messages go to the
   * listener in batches of up to {@link #HAND_BATCH}, one hand-over (and one lock of the reader's
   * queue) per batch instead of per message, and all of them before the read counts as done.
   */
  private final ChatMessage[] handing = new ChatMessage[HAND_BATCH];

  private int handingCount;
  private long handingMaxEventTime = Long.MIN_VALUE;

  /** The most messages handed over at once. */
  static final int HAND_BATCH = 256;

  IrcConnection(
      int id,
      ChatSettings settings,
      TransportFactory transports,
      ChatListener listener,
      ChatStats stats,
      String nick,
      String token) {
    this.id = id;
    this.settings = settings;
    this.transports = transports;
    this.listener = listener;
    this.stats = stats;
    this.nick = nick;
    this.token = token;
    this.thread = new Thread(this, "irc-connection-" + id);
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Adds a channel; it is joined as soon as the connection is logged in and the limit allows. */
  synchronized void add(String channel) {
    ChannelTable t = channels.copy();
    t.add(channel);
    channels = t;
    pendingJoins.add(channel);
  }

  /** Leaves a channel; its messages are no longer emitted. */
  void remove(String channel) {
    boolean joinNotSent;
    synchronized (this) {
      ChannelTable t = channels.copy();
      t.remove(channel);
      channels = t;
      joinNotSent = pendingJoins.remove(channel);
    }
    joined.remove(channel);
    // PART also when the JOIN went out but its confirmation has not come yet: Twitch would
    // otherwise keep the channel joined on this connection.
    if (!joinNotSent && loggedIn) {
      partsInFlight.add(channel);
      if (!trySend(IrcCommands.part(List.of(channel)))) {
        partsInFlight.remove(channel);
      }
    }
  }

  int channelCount() {
    return channels.size();
  }

  int joinedCount() {
    return joined.size();
  }

  /** What this connection counts against its identity's channel cap. */
  int load() {
    return channels.size() + partsInFlight.size();
  }

  /** JOINs waiting to be sent, ready or not (logged in or not). */
  synchronized int queuedJoinCount() {
    return pendingJoins.size();
  }

  synchronized int pendingJoinCount() {
    return loggedIn ? pendingJoins.size() : 0;
  }

  /** Sends one JOIN for up to {@code max} pending channels; returns how many it sent. */
  int joinPending(int max) {
    List<String> batch = new ArrayList<>();
    synchronized (this) {
      Iterator<String> it = pendingJoins.iterator();
      while (it.hasNext() && batch.size() < max) {
        batch.add(it.next());
        it.remove();
      }
    }
    if (batch.isEmpty()) {
      return 0;
    }
    if (!trySend(IrcCommands.join(batch))) {
      synchronized (this) {
        pendingJoins.addAll(batch);
      }
      return 0;
    }
    stats.joinsSent.add(batch.size());
    return batch.size();
  }

  /** The watchdog: ping a silent connection, and reconnect one that stays silent. */
  void checkAlive(long nowNanos) {
    LineTransport t = transport;
    if (t == null || stopped) {
      return;
    }
    if (listener.backpressured()) {
      // The connection thread waits for the job to take its messages: it is not reading, so the
      // server looks silent. That is the job being slow (e.g. a sink waiting for its database),
      // not a dead connection; dropping and rejoining would lose chat and reset every channel.
      lastLineNanos = nowNanos;
      pingSentNanos = 0;
      return;
    }
    long silent = nowNanos - lastLineNanos;
    long pingAt = pingSentNanos;
    if (pingAt == 0 && silent > settings.silenceBeforePing().toNanos()) {
      pingSentNanos = nowNanos;
      trySend(IrcCommands.ping("stream-highlights"));
    } else if (pingAt != 0 && nowNanos - pingAt > settings.pongTimeout().toNanos()) {
      LOG.warn(
          "Chat connection {} silent for {} s after a PING; reconnecting",
          id,
          (nowNanos - lastLineNanos) / 1_000_000_000L);
      t.close();
    }
  }

  void stop() {
    stopped = true;
    LineTransport t = transport;
    if (t != null) {
      t.close();
    }
    thread.interrupt();
  }

  void awaitStopped(long millis) throws InterruptedException {
    thread.join(millis);
  }

  @Override
  public void run() {
    while (!stopped && !gaveUp) {
      LineTransport t = transports.create(settings, stats.parseErrors::increment);
      transport = t;
      try {
        t.connect();
        lastLineNanos = System.nanoTime();
        pingSentNanos = 0;
        t.send(IrcCommands.capabilities());
        if (token != null) {
          t.send(IrcCommands.pass(token));
        }
        t.send(IrcCommands.nick(nick));
        t.readLines(
            new LineTransport.LineSink() {
              @Override
              public void line(byte[] buf, int from, int to) {
                onLine(buf, from, to);
              }

              @Override
              public void endOfRead() {
                onEndOfRead();
              }
            });
      } catch (IOException e) {
        if (!stopped) {
          LOG.info("Chat connection {} to {} ended: {}", id, settings.endpoint(), e.getMessage());
        }
      } finally {
        loggedIn = false;
        joined.clear();
        partsInFlight.clear();
        t.close();
        transport = null;
        // What was read before the drop goes on (this may wait for the reader, so after the
        // clean-up); nothing more is to come: IRC does not replay.
        handOver();
        readStarted = false;
        waitingSince = System.currentTimeMillis();
      }
      if (stopped || gaveUp) {
        break;
      }
      stats.reconnects.increment();
      synchronized (this) {
        pendingJoins.addAll(channels.names());
      }
      sleepBackoff();
    }
  }

  private void sleepBackoff() {
    long millis =
        failedAttempts == 0
            ? 0
            : Math.min(1000L << Math.min(failedAttempts - 1, 20), settings.maxBackoff().toMillis());
    failedAttempts++;
    if (millis > 0) {
      LOG.info("Chat connection {} reconnects in {} ms", id, millis);
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * The event time before which this connection will hand over nothing more (within the
   * out-of-orderness), as seen at {@code nowMillis}: a connection that has been waiting for the
   * network longer than {@link #SETTLE_MILLIS} has no backlog, so whatever comes next is stamped
   * about now; one that is working through a read (or was just about to read again) may still hand
   * over older messages, back to its floor. Called by the source reader's thread.
   */
  long eventTimeBound(long nowMillis) {
    long waiting = waitingSince;
    if (waiting != 0 && nowMillis - waiting >= SETTLE_MILLIS) {
      return nowMillis;
    }
    return eventTimeFloor;
  }

  /** The first line of a read: the connection is busy until the read is handed over. */
  private void onStartOfRead() {
    readStarted = true;
    long waited = waitingSince;
    long now = System.currentTimeMillis();
    waitingSince = 0;
    if (now - waited >= SETTLE_MILLIS && waited > eventTimeFloor) {
      // The read waited for its bytes: they were sent after it started, not held in the socket.
      eventTimeFloor = waited;
    }
  }

  private void onEndOfRead() {
    handOver();
    readStarted = false;
    waitingSince = System.currentTimeMillis();
    lastLineNanos = System.nanoTime();
    pingSentNanos = 0;
    if (messagesInRead > 0) {
      stats.messages.add(messagesInRead);
      stats.lastEventTime.lazySet(lastEventTimeInRead);
      messagesInRead = 0;
    }
  }

  private void onLine(byte[] buf, int from, int to) {
    if (!readStarted) {
      onStartOfRead();
    }
    if (!line.parse(buf, from, to)) {
      stats.parseErrors.increment();
      return;
    }
    switch (line.command()) {
      case PRIVMSG -> onMessage(buf);
      case USERNOTICE -> stats.userNotices.increment();
      case PING -> trySend(IrcCommands.pong(line.params()));
      case RECONNECT -> {
        LOG.info("Chat connection {}: server asked to reconnect", id);
        LineTransport t = transport;
        if (t != null) {
          t.close();
        }
      }
      case WELCOME -> {
        loggedIn = true;
        failedAttempts = 0;
        loginFailuresInARow = 0;
      }
      case NOTICE -> {
        if (!loggedIn) {
          onLoginFailure(line.params());
        }
      }
      case ROOMSTATE -> {
        ChannelTable.Channel c = channels.lookup(buf, line.channelStart(), line.channelEnd());
        String roomId = line.roomId();
        if (c != null && roomId != null && c.roomId == null) {
          c.roomId = roomId;
        }
      }
      case JOIN -> {
        if (line.hasChannel()) {
          onJoined(line.channel());
        }
      }
      case PART -> {
        if (line.hasChannel()) {
          joined.remove(line.channel());
          partsInFlight.remove(line.channel());
        }
      }
      default -> {}
    }
  }

  private void onMessage(byte[] buf) {
    if (line.isSharedChatCopy()) {
      stats.sharedChatCopies.increment();
      return;
    }
    long ts = line.tmiSentTs();
    if (ts < 0) {
      stats.parseErrors.increment();
      return;
    }
    if (ts - System.currentTimeMillis() > listener.futureToleranceMillis()) {
      onFutureTimestamp(ts);
      return;
    }
    ChannelTable.Channel c = channels.lookup(buf, line.channelStart(), line.channelEnd());
    if (c == null) {
      return; // a channel this connection has left
    }
    String roomId = c.roomId;
    if (roomId == null) {
      roomId = line.roomId();
      if (roomId == null) {
        stats.parseErrors.increment();
        return;
      }
      c.roomId = roomId;
    }
    messagesInRead++;
    lastEventTimeInRead = ts;
    if (c.watchStartPending) {
      c.watchStartPending = false;
      hand(ChatMessage.watchStart(c.name, roomId, ts));
    }
    hand(new ChatMessage(c.name, roomId, ts));
  }

  /**
   * The server confirmed a JOIN: from now on the channel's chat is read, and nothing is known of
   * the time before (first join, or a rejoin after a drop during which messages were missed). The
   * channel's next message is preceded by a marker that tells the detector so, stamped with that
   * message's server time: the marker needs no clock of ours and can never be late for its
   * channel's windows.
   */
  private void onJoined(String channel) {
    ChannelTable.Channel c = channels.get(channel);
    if (c == null) {
      // Left before the confirmation came (its PART is on the way): not joined for us.
      joined.remove(channel);
      return;
    }
    if (joined.add(channel)) {
      c.watchStartPending = true;
    }
  }

  private void onFutureTimestamp(long ts) {
    stats.futureTimestamps.increment();
    if (futureLogged++ < 10) {
      LOG.warn(
          "Chat connection {}: dropped a message stamped {} ms ahead of this clock (more than {} ms;"
              + " counted in futureTimestamps)",
          id,
          ts - System.currentTimeMillis(),
          listener.futureToleranceMillis());
    }
  }

  private void hand(ChatMessage m) {
    handing[handingCount++] = m;
    if (m.eventTime() > handingMaxEventTime) {
      handingMaxEventTime = m.eventTime();
    }
    if (handingCount == HAND_BATCH) {
      handOver();
    }
  }

  /**
   * Hands the batch over, then raises the floor: a reader that sees the raised floor finds the
   * batch already counted in its queue, so its watermark waits for it.
   */
  private void handOver() {
    int n = handingCount;
    if (n == 0) {
      return;
    }
    ChatMessage[] batch = Arrays.copyOf(handing, n);
    Arrays.fill(handing, 0, n, null);
    handingCount = 0;
    long maxEventTime = handingMaxEventTime;
    handingMaxEventTime = Long.MIN_VALUE;
    try {
      listener.onMessages(batch);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LineTransport t = transport;
      if (t != null) {
        t.close();
      }
      return;
    }
    if (maxEventTime > eventTimeFloor) {
      eventTimeFloor = maxEventTime;
    }
  }

  private void onLoginFailure(String notice) {
    stats.loginFailures.increment();
    loginFailuresInARow++;
    String reason = notice.replaceFirst("^\\*\\s*:?", "");
    LOG.warn(
        "Chat login as {} failed ({} of {} attempts): {}",
        nick,
        loginFailuresInARow,
        settings.loginAttempts(),
        reason);
    if (loginFailuresInARow >= settings.loginAttempts()) {
      gaveUp = true;
      listener.onFatalError(
          new IllegalStateException(
              "Twitch chat login as '"
                  + nick
                  + "' failed "
                  + loginFailuresInARow
                  + " times in a row ("
                  + reason
                  + "); check the nick and its OAuth token. Giving up rather than hammering Twitch."));
    }
    LineTransport t = transport;
    if (t != null) {
      t.close();
    }
  }

  private boolean trySend(String command) {
    LineTransport t = transport;
    if (t == null) {
      return false;
    }
    try {
      t.send(command);
      return true;
    } catch (IOException e) {
      LOG.info("Chat connection {}: send failed ({}); reconnecting", id, e.getMessage());
      t.close();
      return false;
    }
  }
}
