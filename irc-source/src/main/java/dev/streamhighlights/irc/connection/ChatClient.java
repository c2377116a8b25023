package dev.streamhighlights.irc.connection;

import dev.streamhighlights.irc.config.Secrets;
import dev.streamhighlights.irc.protocol.JoinRateLimiter;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The connections of one source reader: spreads channels over connections (at most {@code
 * maxChannelsPerConnection} each), sends JOINs within the rate limit, and watches every connection
 * for silence. Threads: one per connection (blocking reads) and one scheduler; none per channel.
 * Every thread it starts ends in {@link #close()}, so nothing outlives a Flink task.
 */
public final class ChatClient implements AutoCloseable {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ChatClient.class);

  /** How often the scheduler sends due JOINs and checks liveness. */
  static final long TICK_MILLIS = 100;

  private final ChatSettings settings;
  private final ChatListener listener;
  private final ChatStats stats;
  private final TransportFactory transports;
  private final String token;
  private final List<IrcConnection> connections = new ArrayList<>();
  private final Map<String, IrcConnection> owner = new HashMap<>();
  private final JoinRateLimiter limiter;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService webSocketExecutor;

  /** Reads the login token, if any, from the environment. */
  public ChatClient(ChatSettings settings, ChatListener listener, ChatStats stats) {
    this(settings, listener, stats, Secrets.environment());
  }

  public ChatClient(
      ChatSettings settings, ChatListener listener, ChatStats stats, Secrets secrets) {
    this.settings = settings;
    this.listener = listener;
    this.stats = stats;
    this.token =
        settings.tokenEnvVariable() == null ? null : secrets.get(settings.tokenEnvVariable());
    if (settings.tokenEnvVariable() != null && (token == null || token.isBlank())) {
      throw new IllegalStateException(
          "chat login as '"
              + settings.nick()
              + "' needs its OAuth token in the environment variable "
              + settings.tokenEnvVariable()
              + ", which is not set on this task manager");
    }
    this.limiter = new JoinRateLimiter(settings.joinLimit(), settings.joinWindow().toNanos());
    this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("irc-scheduler"));
    this.webSocketExecutor = Executors.newCachedThreadPool(daemon("irc-websocket"));
    this.transports = this::defaultTransport;
    scheduler.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** Starts reading {@code channel}; idempotent. */
  public synchronized void join(String channel) {
    if (owner.containsKey(channel)) {
      return;
    }
    IrcConnection target = null;
    for (IrcConnection c : connections) {
      if (c.channelCount() < settings.maxChannelsPerConnection()) {
        target = c;
        break;
      }
    }
    if (target == null) {
      target =
          new IrcConnection(
              connections.size(), settings, transports, listener, stats, nick(), token);
      connections.add(target);
      target.start();
    }
    target.add(channel);
    owner.put(channel, target);
  }

  /** Stops reading {@code channel} (PART); idempotent. */
  public synchronized void part(String channel) {
    IrcConnection c = owner.remove(channel);
    if (c != null) {
      c.remove(channel);
    }
  }

  public synchronized Set<String> channels() {
    return Set.copyOf(owner.keySet());
  }

  public synchronized int connectionCount() {
    return connections.size();
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
    List<IrcConnection> all;
    synchronized (this) {
      all = new ArrayList<>(connections);
    }
    for (IrcConnection c : all) {
      int pending = c.pendingJoinCount();
      if (pending > 0) {
        int allowed = Math.min(pending, limiter.available(System.nanoTime()));
        if (allowed > 0) {
          limiter.record(c.joinPending(allowed), System.nanoTime());
        }
      }
      c.checkAlive(System.nanoTime());
    }
  }

  private String nick() {
    return settings.nick() != null
        ? settings.nick()
        : "justinfan" + ThreadLocalRandom.current().nextInt(10_000, 99_999_999);
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
