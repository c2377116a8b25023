package dev.streamhighlights.irc.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Helix's live stream list and the client-credentials token endpoint on 127.0.0.1, as Twitch
 * answers them: pages of {@code first} streams with a cursor, where (like the real list, which
 * moves while it is read) each page after the first may repeat the previous page's last entry.
 */
public final class FakeHelixStreams implements AutoCloseable {

  public static final String CLIENT_ID = "test-client-id";
  public static final String CLIENT_SECRET = "test-client-secret";

  private final HttpServer server;
  private volatile List<String> live = List.of();
  private volatile boolean repeatAcrossPages = true;
  private volatile String token = "app-token-1";
  private final AtomicInteger tokensIssued = new AtomicInteger();
  private final AtomicInteger streamRequests = new AtomicInteger();

  private FakeHelixStreams() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/oauth2/token", this::token);
    server.createContext("/helix/streams", this::streams);
    server.start();
  }

  public static FakeHelixStreams start() {
    try {
      return new FakeHelixStreams();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public String helixBaseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/helix";
  }

  public String authBaseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/oauth2";
  }

  /** The live channels, most viewers first. */
  public void setLive(List<String> channels) {
    live = List.copyOf(channels);
  }

  public void setRepeatAcrossPages(boolean repeat) {
    repeatAcrossPages = repeat;
  }

  /** Revokes the current app token: the next stream request gets 401. */
  public void expireToken() {
    token = "expired-" + System.nanoTime();
  }

  public int tokensIssued() {
    return tokensIssued.get();
  }

  public int streamRequests() {
    return streamRequests.get();
  }

  private void token(HttpExchange x) throws IOException {
    String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    if (!"POST".equals(x.getRequestMethod())
        || !body.contains("client_id=" + CLIENT_ID)
        || !body.contains("client_secret=" + CLIENT_SECRET)
        || !body.contains("grant_type=client_credentials")) {
      send(x, 403, "{\"status\":403,\"message\":\"invalid client secret\"}");
      return;
    }
    token = "app-token-" + tokensIssued.incrementAndGet();
    send(
        x,
        200,
        "{\"access_token\":\"" + token + "\",\"expires_in\":5000000,\"token_type\":\"bearer\"}");
  }

  private void streams(HttpExchange x) throws IOException {
    streamRequests.incrementAndGet();
    if (!("Bearer " + token).equals(x.getRequestHeaders().getFirst("Authorization"))
        || !CLIENT_ID.equals(x.getRequestHeaders().getFirst("Client-Id"))) {
      send(
          x,
          401,
          "{\"error\":\"Unauthorized\",\"status\":401,\"message\":\"Invalid OAuth token\"}");
      return;
    }
    String query = x.getRequestURI().getQuery();
    int first = Integer.parseInt(param(query, "first", "20"));
    int offset = Integer.parseInt(param(query, "after", "0"));
    List<String> all = live;
    int from = offset > 0 && repeatAcrossPages ? offset - 1 : offset;
    int to = Math.min(all.size(), offset + first - (from < offset ? 1 : 0));
    List<String> page = from < all.size() ? all.subList(from, to) : List.of();
    List<String> items = new ArrayList<>();
    for (String login : page) {
      items.add(
          "{\"id\":\"1\",\"user_id\":\"1\",\"user_login\":\""
              + login
              + "\",\"user_name\":\""
              + login.toUpperCase()
              + "\",\"type\":\"live\",\"viewer_count\":100}");
    }
    String cursor = to < all.size() ? "\"cursor\":\"" + to + "\"" : "";
    send(x, 200, "{\"data\":[" + String.join(",", items) + "],\"pagination\":{" + cursor + "}}");
  }

  private static String param(String query, String name, String fallback) {
    if (query != null) {
      for (String kv : query.split("&")) {
        if (kv.startsWith(name + "=")) {
          return kv.substring(name.length() + 1);
        }
      }
    }
    return fallback;
  }

  private static void send(HttpExchange x, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().add("Content-Type", "application/json");
    x.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
