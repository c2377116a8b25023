package dev.streamhighlights.simulator;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** A status and JSON body for the fake Helix, with Twitch's error shape and the sending. */
record HttpAnswer(int status, String body) {

  /** Answers one exchange; null means send nothing (the server is going away). */
  interface Route {
    HttpAnswer answer(HttpExchange x) throws IOException;
  }

  static HttpAnswer tooManyRequests() {
    return new HttpAnswer(429, "{\"error\":\"Too Many Requests\",\"status\":429,\"message\":\"\"}");
  }

  static HttpAnswer error(int status) {
    return error(status, status == 403 ? "Forbidden" : "");
  }

  static HttpAnswer error(int status, String message) {
    return new HttpAnswer(
        status,
        "{\"error\":\""
            + reason(status)
            + "\",\"status\":"
            + status
            + ",\"message\":\""
            + Json.escape(message)
            + "\"}");
  }

  /** Sends the route's answer and always closes the exchange, so a bug here fails fast. */
  static void respond(HttpExchange x, Route route) {
    try (x) {
      HttpAnswer a;
      try {
        a = route.answer(x);
      } catch (RuntimeException e) {
        a = error(500, String.valueOf(e));
      }
      if (a == null) {
        return;
      }
      byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
      x.getResponseHeaders().set("Content-Type", "application/json");
      x.sendResponseHeaders(a.status(), bytes.length);
      try (OutputStream out = x.getResponseBody()) {
        out.write(bytes);
      }
    } catch (IOException e) {
      // The client went away (e.g. it timed out on a slow answer): nothing to answer.
    }
  }

  private static String reason(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 409 -> "Conflict";
      case 429 -> "Too Many Requests";
      case 500 -> "Internal Server Error";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      default -> "Error";
    };
  }
}
