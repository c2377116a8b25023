package dev.streamhighlights.simulator;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.Charset;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
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

  private static final String SERVER = "tmi.twitch.tv";
  private static final String WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  private static final Set<String> KNOWN_CAPS =
      Set.of("twitch.tv/tags", "twitch.tv/commands", "twitch.tv/membership");
  private static final int MAX_LINE_BYTES = 64 * 1024;
  private static final long MAX_WS_PAYLOAD = 16L * 1024 * 1024;
  private static final long RECONNECT_CLOSE_DELAY_MILLIS = 100;
  private static final long POLL_MILLIS = 5;

  private static final int OP_CONTINUATION = 0x0;
  private static final int OP_TEXT = 0x1;
  private static final int OP_BINARY = 0x2;
  private static final int OP_CLOSE = 0x8;
  private static final int OP_PING = 0x9;
  private static final int OP_PONG = 0xA;

  private final ServerSocket ircServer;
  private final ServerSocket wsServer;
  private final Set<Client> clients = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService scheduler;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicInteger threadIds = new AtomicInteger();

  private final Map<String, String> roomIds = new ConcurrentHashMap<>();
  private volatile int joinLimit = 20;
  private volatile long joinWindowNanos = Duration.ofSeconds(10).toNanos();
  private final AtomicInteger failNextLogins = new AtomicInteger();
  private volatile boolean loginsFail;
  private volatile int maxLinesPerFrame = 10;

  private final List<String> received = new ArrayList<>(); // guarded by itself
  private final AtomicInteger totalConnections = new AtomicInteger();
  private final AtomicInteger joinLimitDisconnects = new AtomicInteger();
  private final AtomicInteger pongsReceived = new AtomicInteger();
  private final AtomicInteger failedLogins = new AtomicInteger();
  private final AtomicLong messageSeq = new AtomicLong();
  private final Map<String, LongAdder> privmsgsSent = new ConcurrentHashMap<>();
  private final Map<String, Map<Long, LongAdder>> privmsgsSentByTs = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> sharedCopiesSent = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> userNoticesSent = new ConcurrentHashMap<>();

  private ChatServer() throws IOException {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    ircServer = new ServerSocket();
    wsServer = new ServerSocket();
    try {
      ircServer.bind(new InetSocketAddress(loopback, 0), 50);
      wsServer.bind(new InetSocketAddress(loopback, 0), 50);
    } catch (IOException e) {
      closeQuietly(ircServer);
      closeQuietly(wsServer);
      throw e;
    }
    ThreadFactory daemons =
        r -> {
          Thread t = new Thread(r, "fake-twitch-" + threadIds.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    scheduler = Executors.newSingleThreadScheduledExecutor(daemons);
    daemons.newThread(() -> acceptLoop(ircServer, false)).start();
    daemons.newThread(() -> acceptLoop(wsServer, true)).start();
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
    return URI.create("irc://127.0.0.1:" + ircServer.getLocalPort());
  }

  /** {@code ws://127.0.0.1:<port>} of the WebSocket port. */
  public URI wsUri() {
    return URI.create("ws://127.0.0.1:" + wsServer.getLocalPort());
  }

  // ---------------------------------------------------------------- knobs

  /** Room id to report for the channel; unregistered channels get one derived from the name. */
  public void setRoomId(String channel, String roomId) {
    roomIds.put(normalize(channel), roomId);
  }

  /** A client that sends more than {@code joins} channel joins within {@code window} is dropped. */
  public void setJoinLimit(int joins, Duration window) {
    joinWindowNanos = window.toNanos();
    joinLimit = joins;
  }

  /** The next {@code n} logins get "Login authentication failed" and are closed. */
  public void failNextLogins(int n) {
    failNextLogins.set(n);
  }

  /** While true every login fails. */
  public void setLoginsFail(boolean fail) {
    loginsFail = fail;
  }

  /**
   * Most lines one write (and so one WebSocket frame) carries; 10 by default. Large values make
   * frames that need the 64-bit payload length form.
   */
  public void setMaxLinesPerFrame(int lines) {
    if (lines < 1) {
      throw new IllegalArgumentException("lines must be >= 1");
    }
    maxLinesPerFrame = lines;
  }

  // ---------------------------------------------------------------- sending

  /** Sends {@code count} PRIVMSGs, each with a fresh id; returns the lines written. */
  public int sendMessages(String channel, long tmiSentTs, int count) {
    String ch = normalize(channel);
    String roomId = roomIdOf(ch);
    List<String> lines = new ArrayList<>(Math.max(count, 0));
    for (int i = 0; i < count; i++) {
      lines.add(privmsg(ch, roomId, tmiSentTs, null, null));
    }
    return sendToChannel(ch, lines, n -> recordPrivmsgs(ch, tmiSentTs, n));
  }

  /** Sends one PRIVMSG with the given text; returns the lines written. */
  public int sendMessage(String channel, long tmiSentTs, String text) {
    requireSingleLine(text);
    String ch = normalize(channel);
    String line = privmsg(ch, roomIdOf(ch), tmiSentTs, null, text);
    return sendToChannel(ch, List.of(line), n -> recordPrivmsgs(ch, tmiSentTs, n));
  }

  /**
   * Sends one Shared Chat copy: a PRIVMSG whose {@code source-room-id} names another channel. It
   * counts in {@link #sentMessages} and {@link #sentPerWindow} like any PRIVMSG, and also in {@link
   * #sentSharedChatCopies}.
   */
  public int sendSharedChatCopy(String channel, String sourceRoomId, long tmiSentTs) {
    String ch = normalize(channel);
    String line = privmsg(ch, roomIdOf(ch), tmiSentTs, sourceRoomId, null);
    return sendToChannel(
        ch,
        List.of(line),
        n -> {
          recordPrivmsgs(ch, tmiSentTs, n);
          adder(sharedCopiesSent, ch).add(n);
        });
  }

  /** Sends one USERNOTICE ("raid", "sub", "resub" get their usual msg-param tags). */
  public int sendUserNotice(String channel, String msgId, long tmiSentTs) {
    String ch = normalize(channel);
    String line = userNotice(ch, roomIdOf(ch), msgId, tmiSentTs);
    return sendToChannel(ch, List.of(line), n -> adder(userNoticesSent, ch).add(n));
  }

  /** Sends any line to the clients in the channel; not counted as a PRIVMSG whatever it holds. */
  public int sendRaw(String channel, String line) {
    requireSingleLine(line);
    return sendToChannel(normalize(channel), List.of(line), n -> {});
  }

  /** Sends any line to every live connection, logged in or not. */
  public void sendRawToAll(String line) {
    requireSingleLine(line);
    for (Client c : clients) {
      c.write(List.of(line));
    }
  }

  /** Sends {@code PING :tmi.twitch.tv} to every live connection. */
  public void pingAll() {
    sendRawToAll("PING :" + SERVER);
  }

  /** Sends RECONNECT to every live connection and closes those about 100 ms later. */
  public void reconnectAll() {
    for (Client c : clients) {
      if (c.write(List.of(":" + SERVER + " RECONNECT"))) {
        try {
          scheduler.schedule(
              () -> c.close(false), RECONNECT_CLOSE_DELAY_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
          c.close(false); // already shutting down
        }
      }
    }
  }

  /** Resets every client socket (frozen ones too) without a goodbye. */
  public void dropAll() {
    for (Client c : clients) {
      c.close(true);
    }
  }

  /**
   * Makes every current connection hang: the socket stays open but nothing more is read from or
   * written to it. Connections accepted afterwards work normally.
   */
  public void freezeAll() {
    for (Client c : clients) {
      // No write lock here: a write blocked on a full socket would make this hang too.
      c.frozen = true;
    }
  }

  // ---------------------------------------------------------------- observation

  /** Connections that are logged in, not closed and not frozen. */
  public int connectedClients() {
    int n = 0;
    for (Client c : clients) {
      if (c.isLive()) {
        n++;
      }
    }
    return n;
  }

  /** Connections accepted so far on both ports. */
  public int totalConnections() {
    return totalConnections.get();
  }

  /** Channels joined by live clients, lower case without '#'. */
  public Set<String> joinedChannels() {
    Set<String> joined = new HashSet<>();
    for (Client c : clients) {
      if (c.isLive()) {
        joined.addAll(c.joined);
      }
    }
    return joined;
  }

  /** Waits until every channel is joined by some live client; true if that happened in time. */
  public boolean awaitJoined(Collection<String> channels, Duration timeout) {
    Set<String> wanted = new HashSet<>();
    for (String channel : channels) {
      wanted.add(normalize(channel));
    }
    return await(() -> joinedChannels().containsAll(wanted), timeout);
  }

  /** Waits until exactly {@code n} clients are connected (see {@link #connectedClients}). */
  public boolean awaitConnectedClients(int n, Duration timeout) {
    return await(() -> connectedClients() == n, timeout);
  }

  /** Every line received from any client, in arrival order, without line endings. */
  public List<String> received() {
    synchronized (received) {
      return new ArrayList<>(received);
    }
  }

  /** PRIVMSG lines (Shared Chat copies included) written for the channel, per client. */
  public long sentMessages(String channel) {
    LongAdder n = privmsgsSent.get(normalize(channel));
    return n == null ? 0 : n.sum();
  }

  /** Shared Chat copies written for the channel, per client. */
  public long sentSharedChatCopies(String channel) {
    LongAdder n = sharedCopiesSent.get(normalize(channel));
    return n == null ? 0 : n.sum();
  }

  /** USERNOTICE lines written for the channel, per client. */
  public long sentUserNotices(String channel) {
    LongAdder n = userNoticesSent.get(normalize(channel));
    return n == null ? 0 : n.sum();
  }

  /**
   * PRIVMSG lines written for the channel, keyed by the start of their tmi-sent-ts window (epoch
   * millis, aligned to multiples of {@code windowMillis}), sorted by key.
   */
  public Map<Long, Long> sentPerWindow(String channel, long windowMillis) {
    Map<Long, Long> perWindow = new TreeMap<>();
    Map<Long, LongAdder> byTs = privmsgsSentByTs.get(normalize(channel));
    if (byTs != null) {
      for (Map.Entry<Long, LongAdder> e : byTs.entrySet()) {
        long sum = e.getValue().sum();
        if (sum > 0) {
          long start = Math.floorDiv(e.getKey(), windowMillis) * windowMillis;
          perWindow.merge(start, sum, Long::sum);
        }
      }
    }
    return perWindow;
  }

  /** Connections closed for joining too fast. */
  public int joinLimitDisconnects() {
    return joinLimitDisconnects.get();
  }

  /** PONG commands received from clients. */
  public int pongsReceived() {
    return pongsReceived.get();
  }

  /** Logins answered with a failure NOTICE. */
  public int failedLogins() {
    return failedLogins.get();
  }

  /** Stops accepting and closes every socket; safe to call twice. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    closeQuietly(ircServer);
    closeQuietly(wsServer);
    for (Client c : clients) {
      c.close(false);
    }
    scheduler.shutdownNow();
  }

  // ---------------------------------------------------------------- internals

  private void acceptLoop(ServerSocket server, boolean webSocket) {
    while (!closed.get()) {
      Socket socket;
      try {
        socket = server.accept();
      } catch (IOException e) {
        if (server.isClosed()) {
          return;
        }
        continue;
      }
      totalConnections.incrementAndGet();
      Client client;
      try {
        socket.setTcpNoDelay(true);
        client = new Client(socket, webSocket);
      } catch (IOException e) {
        closeQuietly(socket);
        continue;
      }
      clients.add(client);
      // close() may have run between accept() and add(); it would have missed this one.
      if (closed.get()) {
        client.close(false);
        return;
      }
      Thread t =
          new Thread(
              client::run,
              "fake-twitch-" + (webSocket ? "ws" : "irc") + "-" + threadIds.incrementAndGet());
      t.setDaemon(true);
      t.start();
    }
  }

  /** Writes the lines, in frames, to every live client in the channel; returns lines written. */
  private int sendToChannel(String channel, List<String> lines, IntConsumer onWritten) {
    int written = 0;
    int perFrame = maxLinesPerFrame;
    for (Client c : clients) {
      if (!c.isLive() || !c.joined.contains(channel)) {
        continue;
      }
      for (int from = 0; from < lines.size(); from += perFrame) {
        List<String> chunk = lines.subList(from, Math.min(lines.size(), from + perFrame));
        if (!c.write(chunk)) {
          break; // frozen or closed meanwhile: nothing more reaches this client
        }
        written += chunk.size();
        onWritten.accept(chunk.size());
      }
    }
    return written;
  }

  private void recordPrivmsgs(String channel, long tmiSentTs, int n) {
    adder(privmsgsSent, channel).add(n);
    privmsgsSentByTs
        .computeIfAbsent(channel, k -> new ConcurrentHashMap<>())
        .computeIfAbsent(tmiSentTs, k -> new LongAdder())
        .add(n);
  }

  private String privmsg(
      String channel, String roomId, long tmiSentTs, String sourceRoomId, String text) {
    long seq = messageSeq.incrementAndGet();
    int viewer = (int) (seq % 50) + 1;
    String login = "viewer" + viewer;
    StringBuilder b = new StringBuilder(400);
    b.append("@badge-info=;badges=;color=#1E90FF;display-name=Viewer")
        .append(viewer)
        .append(";emotes=;first-msg=0;flags=;id=")
        .append(UUID.randomUUID())
        .append(";mod=0;returning-chatter=0;room-id=")
        .append(roomId);
    if (sourceRoomId != null) {
      b.append(";source-badge-info=;source-badges=;source-id=")
          .append(UUID.randomUUID())
          .append(";source-only=0;source-room-id=")
          .append(sourceRoomId);
    }
    b.append(";subscriber=0;tmi-sent-ts=")
        .append(tmiSentTs)
        .append(";turbo=0;user-id=")
        .append(500_000 + viewer)
        .append(";user-type= :")
        .append(login)
        .append('!')
        .append(login)
        .append('@')
        .append(login)
        .append(".tmi.twitch.tv PRIVMSG #")
        .append(channel)
        .append(" :")
        .append(text != null ? text : "message " + seq);
    return b.toString();
  }

  private String userNotice(String channel, String roomId, String msgId, long tmiSentTs) {
    // TreeMap: Twitch sends tags in alphabetical order.
    Map<String, String> tags = new TreeMap<>();
    tags.put("badge-info", "");
    tags.put("badges", "");
    tags.put("color", "");
    tags.put("emotes", "");
    tags.put("flags", "");
    tags.put("id", UUID.randomUUID().toString());
    tags.put("mod", "0");
    tags.put("msg-id", msgId);
    tags.put("room-id", roomId);
    tags.put("subscriber", "0");
    tags.put("tmi-sent-ts", Long.toString(tmiSentTs));
    tags.put("turbo", "0");
    tags.put("user-id", "1");
    tags.put("user-type", "");
    String login;
    String systemMsg;
    switch (msgId) {
      case "raid":
        login = "raider";
        tags.put("msg-param-displayName", "Raider");
        tags.put("msg-param-login", login);
        tags.put("msg-param-viewerCount", "42");
        systemMsg = "42 raiders from Raider have joined!";
        break;
      case "sub":
      case "resub":
        login = "subscriber1";
        tags.put("msg-param-cumulative-months", "1");
        tags.put("msg-param-should-share-streak", "0");
        tags.put("msg-param-sub-plan", "1000");
        tags.put("msg-param-sub-plan-name", "Channel Subscription");
        systemMsg = "Subscriber1 subscribed at Tier 1.";
        break;
      default:
        login = "viewer1";
        systemMsg = msgId;
    }
    tags.put("display-name", Character.toUpperCase(login.charAt(0)) + login.substring(1));
    tags.put("login", login);
    tags.put("system-msg", systemMsg);
    StringBuilder b = new StringBuilder(400).append('@');
    for (Map.Entry<String, String> e : tags.entrySet()) {
      if (b.length() > 1) {
        b.append(';');
      }
      b.append(e.getKey()).append('=').append(escapeTag(e.getValue()));
    }
    return b.append(" :").append(SERVER).append(" USERNOTICE #").append(channel).toString();
  }

  private String roomIdOf(String channel) {
    String id = roomIds.get(channel);
    // Stable across runs because String.hashCode is specified.
    return id != null
        ? id
        : Long.toString(100_000_000L + Math.floorMod(channel.hashCode(), 900_000_000));
  }

  private void record(String line) {
    synchronized (received) {
      received.add(line);
    }
  }

  private boolean consumeFailedLogin() {
    if (loginsFail) {
      return true;
    }
    return failNextLogins.getAndUpdate(n -> n > 0 ? n - 1 : n) > 0;
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

  private static LongAdder adder(Map<String, LongAdder> map, String channel) {
    return map.computeIfAbsent(channel, k -> new LongAdder());
  }

  private static String normalize(String channel) {
    String c = channel.trim();
    if (c.startsWith("#")) {
      c = c.substring(1);
    }
    return c.toLowerCase(Locale.ROOT);
  }

  private static void requireSingleLine(String line) {
    if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("a line must not contain CR or LF: " + line);
    }
  }

  private static String escapeTag(String value) {
    StringBuilder b = new StringBuilder(value.length());
    for (char ch : value.toCharArray()) {
      switch (ch) {
        case '\\' -> b.append("\\\\");
        case ';' -> b.append("\\:");
        case ' ' -> b.append("\\s");
        case '\r' -> b.append("\\r");
        case '\n' -> b.append("\\n");
        default -> b.append(ch);
      }
    }
    return b.toString();
  }

  private static void closeQuietly(Closeable c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // Closing is best effort; the peer may already be gone.
    }
  }

  /** Reads one line ending in LF (CR stripped); null at end of stream. */
  private static String readLine(InputStream in, Charset charset) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream(256);
    int b;
    while ((b = in.read()) != -1) {
      if (b == '\n') {
        byte[] bytes = buf.toByteArray();
        int len = bytes.length;
        if (len > 0 && bytes[len - 1] == '\r') {
          len--;
        }
        return new String(bytes, 0, len, charset);
      }
      if (buf.size() >= MAX_LINE_BYTES) {
        throw new IOException("line longer than " + MAX_LINE_BYTES + " bytes");
      }
      buf.write(b);
    }
    return null; // a partial line at end of stream is not a line
  }

  private static byte[] readFully(InputStream in, int n) throws IOException {
    byte[] bytes = in.readNBytes(n);
    if (bytes.length < n) {
      throw new EOFException();
    }
    return bytes;
  }

  private static String webSocketAccept(String key) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      return Base64.getEncoder().encodeToString(sha1.digest((key + WS_GUID).getBytes(ISO_8859_1)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-1", e);
    }
  }

  /** Parsed client line: tags and prefix dropped, command upper case. */
  private record IrcCommand(String command, List<String> params) {

    static IrcCommand parse(String line) {
      String rest = line;
      if (rest.startsWith("@")) {
        int sp = rest.indexOf(' ');
        rest = sp < 0 ? "" : rest.substring(sp + 1).stripLeading();
      }
      if (rest.startsWith(":")) {
        int sp = rest.indexOf(' ');
        rest = sp < 0 ? "" : rest.substring(sp + 1).stripLeading();
      }
      if (rest.isBlank()) {
        return null;
      }
      List<String> params = new ArrayList<>();
      String trailing = null;
      int colon = rest.indexOf(" :");
      if (colon >= 0) {
        trailing = rest.substring(colon + 2);
        rest = rest.substring(0, colon);
      }
      String[] words = rest.trim().split(" +");
      for (int i = 1; i < words.length; i++) {
        params.add(words[i]);
      }
      if (trailing != null) {
        params.add(trailing);
      }
      return new IrcCommand(words[0].toUpperCase(Locale.ROOT), params);
    }

    String param(int i) {
      return i < params.size() ? params.get(i) : null;
    }
  }

  /** One accepted connection; its thread reads, any thread may write. */
  private final class Client {
    private final Socket socket;
    private final boolean webSocket;
    private final OutputStream out;
    private final Object writeLock = new Object();
    private final AtomicBoolean closed = new AtomicBoolean();

    /** Only touched by the reading thread. */
    private final ArrayDeque<Long> joinTimes = new ArrayDeque<>();

    final Set<String> joined = ConcurrentHashMap.newKeySet();
    volatile boolean frozen;
    private volatile boolean ready;
    private volatile boolean loggedIn;
    private volatile String nick;
    private volatile String pass;

    Client(Socket socket, boolean webSocket) throws IOException {
      this.socket = socket;
      this.webSocket = webSocket;
      this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
      this.ready = !webSocket; // WebSocket clients get frames only after the handshake
    }

    boolean isLive() {
      return loggedIn && !closed.get() && !frozen;
    }

    /** Writes the lines as one unit (one frame on WebSocket); false if nothing was written. */
    boolean write(List<String> lines) {
      StringBuilder b = new StringBuilder();
      for (String line : lines) {
        // Twitch ends every line with CRLF, also the last one in a WebSocket frame.
        b.append(line).append("\r\n");
      }
      byte[] payload = b.toString().getBytes(UTF_8);
      return webSocket ? writeFrame(OP_TEXT, payload) : writeBytes(payload);
    }

    private boolean writeBytes(byte[] bytes) {
      synchronized (writeLock) {
        if (!ready || closed.get() || frozen) {
          return false;
        }
        try {
          out.write(bytes);
          out.flush();
          return true;
        } catch (IOException e) {
          close(false);
          return false;
        }
      }
    }

    /** Server frames are never masked (RFC 6455 section 5.1). */
    private boolean writeFrame(int opcode, byte[] payload) {
      ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 10);
      frame.write(0x80 | opcode);
      int len = payload.length;
      if (len <= 125) {
        frame.write(len);
      } else if (len <= 0xFFFF) {
        frame.write(126);
        frame.write(len >>> 8);
        frame.write(len);
      } else {
        frame.write(127);
        for (int shift = 56; shift >= 0; shift -= 8) {
          frame.write((int) ((long) len >>> shift));
        }
      }
      frame.writeBytes(payload);
      return writeBytes(frame.toByteArray());
    }

    void close(boolean abrupt) {
      if (!closed.compareAndSet(false, true)) {
        return;
      }
      if (abrupt) {
        try {
          socket.setSoLinger(true, 0); // close then sends RST instead of FIN
        } catch (IOException ignored) {
          // The socket is going away either way.
        }
      }
      closeQuietly(socket);
      clients.remove(this);
    }

    void run() {
      try {
        InputStream in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        if (webSocket) {
          if (handshake(in)) {
            readFrames(in);
          }
        } else {
          readLines(in);
        }
      } catch (IOException e) {
        // Peer went away or sent garbage; handled below like end of stream.
      }
      // A frozen connection stays open with nobody reading it: that is the point of freezing.
      if (!frozen) {
        close(false);
      }
    }

    private void readLines(InputStream in) throws IOException {
      String line;
      while (!closed.get() && (line = readLine(in, UTF_8)) != null) {
        if (frozen) {
          return;
        }
        if (!line.isEmpty()) {
          handle(line);
        }
      }
    }

    private boolean handshake(InputStream in) throws IOException {
      String requestLine = readLine(in, ISO_8859_1);
      if (requestLine == null) {
        return false;
      }
      Map<String, String> headers = new HashMap<>();
      String header;
      while ((header = readLine(in, ISO_8859_1)) != null && !header.isEmpty()) {
        int colon = header.indexOf(':');
        if (colon > 0) {
          headers.merge(
              header.substring(0, colon).trim().toLowerCase(Locale.ROOT),
              header.substring(colon + 1).trim(),
              (a, b) -> a + ", " + b);
        }
      }
      if (header == null) {
        return false;
      }
      String key = headers.get("sec-websocket-key");
      String upgrade = headers.get("upgrade");
      if (!requestLine.startsWith("GET ")
          || key == null
          || upgrade == null
          || !upgrade.toLowerCase(Locale.ROOT).contains("websocket")) {
        writeHttp("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        return false;
      }
      StringBuilder response =
          new StringBuilder("HTTP/1.1 101 Switching Protocols\r\n")
              .append("Upgrade: websocket\r\n")
              .append("Connection: Upgrade\r\n")
              .append("Sec-WebSocket-Accept: ")
              .append(webSocketAccept(key))
              .append("\r\n");
      String protocols = headers.get("sec-websocket-protocol");
      if (protocols != null && !protocols.isBlank()) {
        // Clients that offer subprotocols may refuse a reply that picks none.
        List<String> offered = List.of(protocols.split("\\s*,\\s*"));
        String chosen = offered.contains("irc") ? "irc" : offered.get(0).trim();
        response.append("Sec-WebSocket-Protocol: ").append(chosen).append("\r\n");
      }
      response.append("\r\n");
      if (!writeHttp(response.toString())) {
        return false;
      }
      ready = true;
      return true;
    }

    private boolean writeHttp(String response) {
      synchronized (writeLock) {
        if (closed.get()) {
          return false;
        }
        try {
          out.write(response.getBytes(ISO_8859_1));
          out.flush();
          return true;
        } catch (IOException e) {
          close(false);
          return false;
        }
      }
    }

    private void readFrames(InputStream in) throws IOException {
      ByteArrayOutputStream message = null; // text message being reassembled from fragments
      while (!closed.get()) {
        int b0 = in.read();
        if (b0 < 0) {
          return;
        }
        int b1 = in.read();
        if (b1 < 0) {
          return;
        }
        boolean fin = (b0 & 0x80) != 0;
        int opcode = b0 & 0x0F;
        boolean masked = (b1 & 0x80) != 0;
        long len = b1 & 0x7F;
        if (len == 126) {
          byte[] l = readFully(in, 2);
          len = ((l[0] & 0xFF) << 8) | (l[1] & 0xFF);
        } else if (len == 127) {
          byte[] l = readFully(in, 8);
          len = 0;
          for (byte x : l) {
            len = (len << 8) | (x & 0xFF);
          }
        }
        if (!masked) {
          closeWith(1002); // RFC 6455 5.1: a server must close on an unmasked client frame
          return;
        }
        if (len < 0 || len > MAX_WS_PAYLOAD) {
          closeWith(1009);
          return;
        }
        byte[] mask = readFully(in, 4);
        byte[] payload = readFully(in, (int) len);
        for (int i = 0; i < payload.length; i++) {
          payload[i] ^= mask[i & 3];
        }
        if (frozen) {
          return;
        }
        switch (opcode) {
          case OP_TEXT, OP_BINARY -> {
            message = new ByteArrayOutputStream(payload.length);
            message.writeBytes(payload);
          }
          case OP_CONTINUATION -> {
            if (message == null) {
              closeWith(1002);
              return;
            }
            message.writeBytes(payload);
          }
          case OP_CLOSE -> {
            // Echo the status code, as RFC 6455 5.5.1 asks, then hang up.
            byte[] status = payload.length >= 2 ? new byte[] {payload[0], payload[1]} : new byte[0];
            writeFrame(OP_CLOSE, status);
            close(false);
            return;
          }
          case OP_PING -> {
            writeFrame(OP_PONG, payload);
            continue;
          }
          case OP_PONG -> {
            continue;
          }
          default -> {
            closeWith(1002);
            return;
          }
        }
        if (fin) {
          String text = message.toString(UTF_8);
          message = null;
          // A frame may carry several lines; the last one need not end in CRLF.
          for (String line : text.split("\r?\n")) {
            if (closed.get() || frozen) {
              return;
            }
            if (!line.isEmpty()) {
              handle(line);
            }
          }
        }
      }
    }

    private void closeWith(int status) {
      writeFrame(OP_CLOSE, new byte[] {(byte) (status >>> 8), (byte) status});
      close(false);
    }

    private void handle(String line) {
      record(line);
      IrcCommand cmd = IrcCommand.parse(line);
      if (cmd == null) {
        return;
      }
      switch (cmd.command()) {
        case "CAP" -> handleCap(cmd);
        case "PASS" -> pass = cmd.param(0);
        case "NICK" -> login(cmd.param(0));
        case "JOIN" -> {
          if (loggedIn && cmd.param(0) != null) {
            join(cmd.param(0));
          }
        }
        case "PART" -> {
          if (loggedIn && cmd.param(0) != null) {
            part(cmd.param(0));
          }
        }
        case "PING" -> {
          List<String> params = cmd.params();
          String token = params.isEmpty() ? SERVER : params.get(params.size() - 1);
          write(List.of(":" + SERVER + " PONG " + SERVER + " :" + token));
        }
        case "PONG" -> pongsReceived.incrementAndGet();
        case "QUIT" -> close(false);
        default -> {
          // Twitch ignores what it does not know (USER, PRIVMSG from a reader, ...).
        }
      }
    }

    private void handleCap(IrcCommand cmd) {
      String sub = cmd.param(0) == null ? "" : cmd.param(0).toUpperCase(Locale.ROOT);
      if (sub.equals("LS")) {
        write(List.of(":" + SERVER + " CAP * LS :" + String.join(" ", new TreeSet<>(KNOWN_CAPS))));
      } else if (sub.equals("REQ")) {
        String requested = cmd.param(1) == null ? "" : cmd.param(1).trim();
        boolean known = true;
        for (String cap : requested.split(" +")) {
          known &= KNOWN_CAPS.contains(cap);
        }
        write(List.of(":" + SERVER + " CAP * " + (known ? "ACK" : "NAK") + " :" + requested));
      }
    }

    private void login(String requestedNick) {
      if (loggedIn || requestedNick == null || requestedNick.isBlank()) {
        return;
      }
      String password = pass;
      String notice = null;
      if (consumeFailedLogin()) {
        notice = "Login authentication failed";
      } else if (password != null && !password.startsWith("oauth:")) {
        notice = "Improperly formatted auth"; // what Twitch says to a token without "oauth:"
      }
      if (notice != null) {
        failedLogins.incrementAndGet();
        write(List.of(":" + SERVER + " NOTICE * :" + notice));
        close(false);
        return;
      }
      String n = requestedNick.toLowerCase(Locale.ROOT);
      nick = n;
      String p = ":" + SERVER + " ";
      List<String> welcome = new ArrayList<>();
      welcome.add(p + "001 " + n + " :Welcome, GLHF!");
      welcome.add(p + "002 " + n + " :Your host is tmi.twitch.tv");
      welcome.add(p + "003 " + n + " :This server is rather new");
      welcome.add(p + "004 " + n + " :-");
      welcome.add(p + "375 " + n + " :-");
      welcome.add(p + "372 " + n + " :You are in a maze of twisty passages, all alike.");
      welcome.add(p + "376 " + n + " :>");
      if (password != null) {
        // Authenticated (not justinfan) logins also get the user's global state.
        welcome.add(
            "@badge-info=;badges=;color=;display-name="
                + requestedNick
                + ";emote-sets=0;user-id="
                + (1_000_000L + Math.floorMod(n.hashCode(), 1_000_000))
                + ";user-type= :"
                + SERVER
                + " GLOBALUSERSTATE");
      }
      // Logged in only once the welcome is out, so no chat line can overtake it.
      if (write(welcome)) {
        loggedIn = true;
      }
    }

    private void join(String channelList) {
      List<String> channels = new ArrayList<>();
      for (String c : channelList.split(",")) {
        if (!c.isBlank()) {
          channels.add(normalize(c));
        }
      }
      long now = System.nanoTime();
      long window = joinWindowNanos;
      while (!joinTimes.isEmpty() && now - joinTimes.peekFirst() >= window) {
        joinTimes.pollFirst();
      }
      if (joinTimes.size() + channels.size() > joinLimit) {
        joinLimitDisconnects.incrementAndGet();
        close(false);
        return;
      }
      for (int i = 0; i < channels.size(); i++) {
        joinTimes.addLast(now);
      }
      String n = nick;
      for (String ch : channels) {
        List<String> lines =
            List.of(
                ":" + n + "!" + n + "@" + n + ".tmi.twitch.tv JOIN #" + ch,
                ":" + n + ".tmi.twitch.tv 353 " + n + " = #" + ch + " :" + n,
                ":" + n + ".tmi.twitch.tv 366 " + n + " #" + ch + " :End of /NAMES list",
                "@emote-only=0;followers-only=-1;r9k=0;room-id="
                    + roomIdOf(ch)
                    + ";slow=0;subs-only=0 :"
                    + SERVER
                    + " ROOMSTATE #"
                    + ch);
        // Joined only after the confirmation is out, so chat cannot arrive before the JOIN.
        if (write(lines)) {
          joined.add(ch);
        }
      }
    }

    private void part(String channelList) {
      String n = nick;
      for (String c : channelList.split(",")) {
        if (c.isBlank()) {
          continue;
        }
        String ch = normalize(c);
        joined.remove(ch);
        write(List.of(":" + n + "!" + n + "@" + n + ".tmi.twitch.tv PART #" + ch));
      }
    }
  }
}
