package dev.streamhighlights.irc.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;

/**
 * Which endpoints may carry credentials. Helix and OAuth calls carry the app's secret and tokens,
 * and a chat login its OAuth token, so they go over TLS; plain http://, irc:// and ws:// are
 * accepted only to this machine (simulators and tests), where nothing travels over a network.
 */
public final class Endpoints {

  /** What a Helix or OAuth URL may be, for error messages. */
  public static final String HTTPS_ACCEPTS =
      "an https:// URL (http:// only to 127.0.0.1, localhost or [::1])";

  /** What a chat endpoint may be when a login token is sent, for error messages. */
  public static final String TLS_CHAT_ACCEPTS =
      "ircs:// or wss:// (irc:// and ws:// only to 127.0.0.1, localhost or [::1])";

  private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]", "::1");

  private Endpoints() {}

  /** Whether {@code host} names this machine without asking DNS. */
  public static boolean isLoopback(String host) {
    return host != null && LOOPBACK.contains(host.toLowerCase(Locale.ROOT));
  }

  /** An https URL with a host, or an http one to this machine. */
  public static boolean isHttpsOrLocal(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException | NullPointerException e) {
      return false;
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (uri.getHost() == null) {
      return false;
    }
    return scheme.equals("https") || (scheme.equals("http") && isLoopback(uri.getHost()));
  }

  /** Whether a login token may be sent to the chat endpoint {@code uri}. */
  public static boolean isTlsOrLocalChat(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    return scheme.equals("ircs")
        || scheme.equals("wss")
        || ((scheme.equals("irc") || scheme.equals("ws")) && isLoopback(uri.getHost()));
  }
}
