package dev.streamhighlights.local.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The highlights page: a small HTTP server (the JDK's) with a JSON API under {@code /api/} and the
 * page's HTML, CSS and JavaScript from the classpath. It only reads MongoDB. Endpoints:
 *
 * <ul>
 *   <li>{@code GET /api/highlights?channel=&from=&to=&order=newest|top&offset=&limit=}
 *   <li>{@code GET /api/highlights/<id>}
 *   <li>{@code GET /api/activity?channel=&from=&to=&span=}: a channel's 10 s counts ({@code span}
 *       minutes when an end is missing; with neither, up to the channel's newest window)
 *   <li>{@code GET /api/channels}, {@code GET /api/status}
 * </ul>
 *
 * Times are epoch milliseconds (parameters also take ISO-8601 instants); a bad parameter is
 * answered 400 with {@code {"error": "..."}}.
 */
public final class HighlightsWeb implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(HighlightsWeb.class);

  /** Where the page's files are on the classpath. */
  static final String RESOURCES = "/dev/streamhighlights/local/web/";

  /** Request threads: the page asks for a list and a few curves at once; more would queue. */
  static final int THREADS = 4;

  static final int DEFAULT_LIMIT = 50;

  /** What the page is allowed to load: itself, and Twitch's clip player when asked to play. */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; frame-src https://clips.twitch.tv; object-src 'none';"
          + " base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private static final Map<String, String> FILES =
      Map.of(
          "/", "index.html",
          "/index.html", "index.html",
          "/app.js", "app.js",
          "/app.css", "app.css",
          "/favicon.svg", "favicon.svg");

  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "svg", "image/svg+xml");

  private static final Set<String> HIGHLIGHT_PARAMS =
      Set.of("channel", "from", "to", "order", "offset", "limit");
  private static final Set<String> ACTIVITY_PARAMS = Set.of("channel", "from", "to", "span");

  /** Twitch logins have at most 25 characters; stored names are not checked, so allow more. */
  static final int MAX_CHANNEL_LENGTH = 200;

  private final ObjectMapper json = new ObjectMapper();
  private final HighlightQueries queries;
  private final HttpServer server;
  private final ExecutorService executor;
  private final boolean loopbackOnly;
  private volatile AutoCloseable client;

  private HighlightsWeb(HighlightQueries queries, HttpServer server, ExecutorService executor) {
    this.queries = queries;
    this.server = server;
    this.executor = executor;
    this.loopbackOnly = server.getAddress().getAddress().isLoopbackAddress();
  }

  /**
   * Serves the page for database {@code database} at {@code mongoUri} with a client of its own,
   * closed with the page. The client gives up on an unreachable server after {@link
   * #MONGO_WAIT_MILLIS}, so the page shows an error instead of waiting.
   */
  public static HighlightsWeb open(String mongoUri, String database, String bindAddress, int port)
      throws IOException {
    MongoClient client =
        MongoClients.create(
            MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(mongoUri))
                .applyToClusterSettings(
                    b -> b.serverSelectionTimeout(MONGO_WAIT_MILLIS, TimeUnit.MILLISECONDS))
                .applicationName("stream-highlights-web")
                .build());
    try {
      HighlightsWeb web = start(client.getDatabase(database), bindAddress, port);
      web.client = client;
      return web;
    } catch (IOException | RuntimeException e) {
      client.close();
      throw e;
    }
  }

  /** How long a request waits for an unreachable MongoDB before it is answered 503. */
  static final long MONGO_WAIT_MILLIS = 5_000;

  /**
   * Serves the page for {@code db} on {@code bindAddress}:{@code port} (0 = any free port).
   *
   * @throws IOException when the address cannot be bound (in use, not this machine's)
   */
  public static HighlightsWeb start(MongoDatabase db, String bindAddress, int port)
      throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getByName(bindAddress), port), 0);
    AtomicInteger n = new AtomicInteger();
    ExecutorService executor =
        Executors.newFixedThreadPool(
            THREADS,
            r -> {
              Thread t = new Thread(r, "highlights-web-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    HighlightsWeb web = new HighlightsWeb(new HighlightQueries(db), server, executor);
    server.createContext("/", web::handle);
    server.setExecutor(executor);
    server.start();
    return web;
  }

  /** The page's address, e.g. {@code http://127.0.0.1:8082/}. */
  public String url() {
    InetSocketAddress a = server.getAddress();
    String host = a.getAddress().getHostAddress();
    if (a.getAddress().isAnyLocalAddress()) {
      host = "127.0.0.1";
    } else if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return "http://" + host + ":" + a.getPort() + "/";
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** What the page will say about the database: its name, size and missing indexes. */
  public Map<String, Object> status() {
    return queries.status();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    AutoCloseable c = client;
    if (c != null) {
      try {
        c.close();
      } catch (Exception e) {
        LOG.debug("highlights page: closing its MongoDB client failed", e);
      }
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        sendJson(exchange, 405, error("only GET and HEAD: the page never changes anything"));
        return;
      }
      if (loopbackOnly && !isLocalHost(exchange.getRequestHeaders().getFirst("Host"))) {
        // A page elsewhere that resolves its own name to 127.0.0.1 (DNS rebinding) reads nothing.
        sendJson(exchange, 403, error("Host must be 127.0.0.1, localhost or [::1]"));
        return;
      }
      String path = exchange.getRequestURI().getRawPath();
      if (path.startsWith("/api/")) {
        api(exchange, path);
      } else {
        file(exchange, path);
      }
    } catch (IOException e) {
      LOG.debug("highlights page: the client went away ({})", e.getMessage());
    } catch (RuntimeException e) {
      LOG.warn("highlights page: {} failed", exchange.getRequestURI(), e);
    }
  }

  private boolean isLocalHost(String host) {
    if (host == null) {
      return false;
    }
    String h = host.toLowerCase(Locale.ROOT);
    int colon = h.lastIndexOf(':');
    if (colon > 0 && h.indexOf(']') < colon) {
      h = h.substring(0, colon);
    }
    return h.equals("127.0.0.1") || h.equals("localhost") || h.equals("[::1]");
  }

  private void api(HttpExchange exchange, String path) throws IOException {
    String query = exchange.getRequestURI().getRawQuery();
    Object body;
    int status = 200;
    try {
      if (path.equals("/api/highlights")) {
        body = highlights(Params.parse(query, HIGHLIGHT_PARAMS));
      } else if (path.startsWith("/api/highlights/")) {
        Params.parse(query, Set.of());
        String id = decodePath(path.substring("/api/highlights/".length()));
        Map<String, Object> h = queries.highlight(id);
        body = h == null ? error("no highlight with id '" + id + "'") : Map.of("highlight", h);
        status = h == null ? 404 : 200;
      } else if (path.equals("/api/activity")) {
        Params p = Params.parse(query, ACTIVITY_PARAMS);
        String channel = p.text("channel", MAX_CHANNEL_LENGTH);
        if (channel == null) {
          throw new Params.BadRequest("channel is required");
        }
        long span = p.integer("span", 60, 1, 24 * 60) * 60_000L;
        body = queries.activity(channel, p.time("from"), p.time("to"), span);
      } else if (path.equals("/api/channels")) {
        Params.parse(query, Set.of());
        body = Map.of("channels", queries.channels());
      } else if (path.equals("/api/status")) {
        Params.parse(query, Set.of());
        body = queries.status();
      } else {
        body =
            error(
                "no such endpoint; the API has /api/highlights, /api/highlights/<id>,"
                    + " /api/activity, /api/channels and /api/status");
        status = 404;
      }
    } catch (Params.BadRequest e) {
      body = error(e.getMessage());
      status = 400;
    } catch (MongoTimeoutException e) {
      body = error("MongoDB is not reachable: " + e.getMessage());
      status = 503;
    } catch (MongoException e) {
      LOG.warn("highlights page: MongoDB failed for {}", exchange.getRequestURI(), e);
      body = error("MongoDB: " + e.getMessage());
      status = 502;
    }
    sendJson(exchange, status, body);
  }

  private void sendJson(HttpExchange exchange, int status, Object body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    send(exchange, status, json.writeValueAsBytes(body));
  }

  private Map<String, Object> highlights(Params p) {
    String channel = p.text("channel", MAX_CHANNEL_LENGTH);
    Long from = p.time("from");
    Long to = p.time("to");
    if (from != null && to != null && from >= to) {
      throw new Params.BadRequest("from must be before to");
    }
    HighlightQueries.Order order =
        p.choice("order", "newest", "newest", "top").equals("top")
            ? HighlightQueries.Order.TOP
            : HighlightQueries.Order.NEWEST;
    int offset = p.integer("offset", 0, 0, HighlightQueries.MAX_OFFSET);
    int limit = p.integer("limit", DEFAULT_LIMIT, 1, HighlightQueries.MAX_LIMIT);
    List<Map<String, Object>> found = queries.highlights(channel, from, to, order, offset, limit);
    return Map.of("highlights", found, "offset", offset, "limit", limit);
  }

  private static String decodePath(String raw) {
    try {
      return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new Params.BadRequest("the path is not URL-encoded: " + e.getMessage());
    }
  }

  private void file(HttpExchange exchange, String path) throws IOException {
    String name = FILES.get(path);
    InputStream in =
        name == null ? null : HighlightsWeb.class.getResourceAsStream(RESOURCES + name);
    if (in == null) {
      exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
      send(exchange, 404, "Not found. The page is at /\n".getBytes(StandardCharsets.UTF_8));
      return;
    }
    byte[] bytes;
    try (in) {
      bytes = in.readAllBytes();
    }
    String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1));
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
    exchange.getResponseHeaders().set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    send(exchange, 200, bytes);
  }

  private void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    exchange.getResponseHeaders().set("Referrer-Policy", "no-referrer");
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
    if (!head && body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static Map<String, String> error(String message) {
    return Map.of("error", message);
  }
}
