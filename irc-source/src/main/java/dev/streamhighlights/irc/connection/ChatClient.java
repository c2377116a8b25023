package dev.streamhighlights.irc.connection;

import dev.streamhighlights.irc.config.Secrets;
import dev.streamhighlights.irc.protocol.JoinRateLimiter;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The connections of one source reader, grouped by identity ({@link ChatIdentity}): spreads
 * channels over its identities and their connections (at most {@code maxChannelsPerConnection}
 * each), sends each identity's JOINs within its rate limit over all its connections, keeps each
 * identity under its channel cap, and watches every connection for silence. Channels beyond the
 * capacity of all identities are not joined, only counted ({@link #overCapacityCount()}), and
 * joined once a channel leaves. Threads: one per connection (blocking reads) and one scheduler;
 * none per channel. Every thread it starts ends in {@link #close()}, so nothing outlives a Flink
 * task.
 */
public final class ChatClient implements AutoCloseable {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ChatClient.class);

  /** How often the scheduler sends due JOINs and checks liveness. */
  static final long TICK_MILLIS = 100;

  /**
   * JOINs are paced over the identity's window plus this share of it: Twitch times a JOIN when it
   * arrives, and a JOIN that travelled slower than the next one would make that one look early.
   */
  static final double JOIN_WINDOW_MARGIN = 0.10;

  /** At most one line about channels over capacity per this interval while their number changes. */
  private static final long OVER_CAPACITY_LOG_NANOS = TimeUnit.SECONDS.toNanos(60);

  private final ChatSettings settings;
  private final ChatListener listener;
  private final ChatStats stats;
  private final TransportFactory transports;
  private final List<Identity> identities = new ArrayList<>();
  private final List<IrcConnection> connections = new ArrayList<>();
  private final Map<String, IrcConnection> owner = new HashMap<>();
  private final Set<String> overCapacity = new LinkedHashSet<>();
  private final ScheduledExecutorService scheduler;
  private final ExecutorService webSocketExecutor;
  private int overCapacityLogged;
  private long overCapacityLoggedAt;

  /** One login, its token, its JOIN budget and its connections. */
  private static final class Identity {
    final ChatIdentity config;
    final String token;
    final JoinRateLimiter limiter; // only the scheduler thread touches it
    final List<IrcConnection> connections = new ArrayList<>();

    Identity(ChatIdentity config, String token) {
      this.config = config;
      this.token = token;
      long window = config.joinWindow().toNanos();
      this.limiter =
          new JoinRateLimiter(config.joinLimit(), window + (long) (window * JOIN_WINDOW_MARGIN));
    }

    /** Channels held or on their way, and channels whose PART the server has not confirmed. */
    int load() {
      int n = 0;
      for (IrcConnection c : connections) {
        n += c.load();
      }
      return n;
    }

    int queuedJoins() {
      int n = 0;
      for (IrcConnection c : connections) {
        n += c.queuedJoinCount();
      }
      return n;
    }
  }

  /** Reads the login tokens, if any, from the environment. */
  public ChatClient(ChatSettings settings, ChatListener listener, ChatStats stats) {
    this(settings, listener, stats, Secrets.environment());
  }

  public ChatClient(
      ChatSettings settings, ChatListener listener, ChatStats stats, Secrets secrets) {
    this.settings = settings;
    this.listener = listener;
    this.stats = stats;
    for (ChatIdentity id : settings.identities()) {
      identities.add(new Identity(id, token(id, secrets)));
    }
    this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("irc-scheduler"));
    this.webSocketExecutor = Executors.newCachedThreadPool(daemon("irc-websocket"));
    this.transports = this::defaultTransport;
    scheduler.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
  }

  private static String token(ChatIdentity id, Secrets secrets) {
    if (id.isAnonymous()) {
      return null;
    }
    String token = secrets.get(id.tokenEnvVariable());
    if (token == null || token.isBlank()) {
      throw new IllegalStateException(
          "chat login as '"
              + id.nick()
              + "' needs its OAuth token in the environment variable "
              + id.tokenEnvVariable()
              + ", which is not set on this task manager");
    }
    return token;
  }

  /** Starts reading {@code channel}, or counts it as over capacity; idempotent. */
  public synchronized void join(String channel) {
    if (owner.containsKey(channel) || overCapacity.contains(channel)) {
      return;
    }
    Identity identity = identityWithRoom();
    if (identity == null) {
      overCapacity.add(channel);
      return;
    }
    IrcConnection target = null;
    for (IrcConnection c : identity.connections) {
      if (c.channelCount() < settings.maxChannelsPerConnection()) {
        target = c;
        break;
      }
    }
    if (target == null) {
      target =
          new IrcConnection(
              connections.size(),
              settings,
              transports,
              listener,
              stats,
              identity.config.nick(),
              identity.token);
      connections.add(target);
      identity.connections.add(target);
      target.start();
    }
    target.add(channel);
    owner.put(channel, target);
  }

  /**
   * The identity under its cap whose queue of JOINs would be done first with one more channel, so
   * channels spread over identities in proportion to their JOIN rates; null if all are full.
   */
  private Identity identityWithRoom() {
    Identity best = null;
    double bestDone = Double.MAX_VALUE;
    for (Identity id : identities) {
      if (id.load() >= id.config.maxChannels()) {
        continue;
      }
      double done = (id.queuedJoins() + 1) / id.config.joinsPerSecond();
      if (best == null || done < bestDone || (done == bestDone && id.load() < best.load())) {
        best = id;
        bestDone = done;
      }
    }
    return best;
  }

  /** Stops reading {@code channel} (PART); idempotent. */
  public synchronized void part(String channel) {
    if (overCapacity.remove(channel)) {
      return;
    }
    IrcConnection c = owner.remove(channel);
    if (c != null) {
      c.remove(channel);
    }
  }

  public synchronized Set<String> channels() {
    Set<String> all = new LinkedHashSet<>(owner.keySet());
    all.addAll(overCapacity);
    return Set.copyOf(all);
  }

  /** Channels not joined because every identity is at its channel cap. */
  public synchronized int overCapacityCount() {
    return overCapacity.size();
  }

  public synchronized int connectionCount() {
    return connections.size();
  }

  /**
   * The event time before which no connection will hand over anything more, within the
   * out-of-orderness (see {@link IrcConnection#eventTimeBound}); {@code nowMillis} when every
   * connection waits for the network. Called by the source reader to move event time on with the
   * wall clock without making a backlog late.
   */
  public synchronized long eventTimeBound(long nowMillis) {
    long bound = nowMillis;
    for (IrcConnection c : connections) {
      bound = Math.min(bound, c.eventTimeBound(nowMillis));
    }
    return bound;
  }

  /** Channels whose JOIN the server has confirmed, over all live connections. */
  public synchronized int joinedCount() {
    int n = 0;
    for (IrcConnection c : connections) {
      n += c.joinedCount();
    }
    return n;
  }

  @Override
  public void close() throws InterruptedException {
    scheduler.shutdownNow();
    List<IrcConnection> all;
    synchronized (this) {
      all = new ArrayList<>(connections);
    }
    all.forEach(IrcConnection::stop);
    for (IrcConnection c : all) {
      c.awaitStopped(5_000);
    }
    webSocketExecutor.shutdownNow();
    scheduler.awaitTermination(5, TimeUnit.SECONDS);
  }

  private void tick() {
    try {
      sendJoinsAndCheckAlive();
      listener.onTick();
    } catch (RuntimeException e) {
      // A periodic task that throws is never run again: log and carry on instead.
      LOG.error("Chat client tick failed; continuing", e);
    }
  }

  private void sendJoinsAndCheckAlive() {
    synchronized (this) {
      joinOverCapacityChannelsWithRoom();
    }
    // The identities never change; their connection lists do, under this client's lock.
    for (Identity id : identities) {
      List<IrcConnection> own;
      synchronized (this) {
        own = new ArrayList<>(id.connections);
      }
      for (IrcConnection c : own) {
        int pending = c.pendingJoinCount();
        if (pending > 0) {
          int allowed = Math.min(pending, id.limiter.available(System.nanoTime()));
          if (allowed > 0) {
            id.limiter.record(c.joinPending(allowed), System.nanoTime());
          }
        }
        c.checkAlive(System.nanoTime());
      }
    }
  }

  /** Moves channels waiting for room to identities that have some again; logs their number. */
  private void joinOverCapacityChannelsWithRoom() {
    while (!overCapacity.isEmpty() && identityWithRoom() != null) {
      String channel = overCapacity.iterator().next();
      overCapacity.remove(channel);
      join(channel);
    }
    int n = overCapacity.size();
    long now = System.nanoTime();
    if (n != overCapacityLogged
        && (overCapacityLogged == 0
            || n == 0
            || now - overCapacityLoggedAt > OVER_CAPACITY_LOG_NANOS)) {
      if (n > 0) {
        LOG.warn(
            "{} channels not joined: all {} chat identities of this reader are at their channel"
                + " cap (counted in channelsOverCapacity; add identities or raise their caps)",
            n,
            identities.size());
      } else {
        LOG.info("Every channel has a chat identity with room again");
      }
      overCapacityLogged = n;
      overCapacityLoggedAt = now;
    }
  }

  private LineTransport defaultTransport(ChatSettings s, Runnable onOverlongLine) {
    return switch (s.endpoint().getScheme()) {
      case "irc", "ircs" ->
          new SocketTransport(s.endpoint(), (int) s.connectTimeout().toMillis(), onOverlongLine);
      case "ws", "wss" ->
          new WebSocketTransport(
              s.endpoint(),
              HttpClient.newBuilder()
                  .executor(webSocketExecutor)
                  .connectTimeout(s.connectTimeout())
                  .build(),
              s.connectTimeout());
      default -> throw new IllegalArgumentException("unsupported chat endpoint " + s.endpoint());
    };
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
