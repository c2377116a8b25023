package dev.streamhighlights.irc.protocol;

import java.util.Collection;
import java.util.regex.Pattern;

/**
 * The lines the source sends. Nothing that came from outside reaches a line unchecked: channel
 * names must be Twitch logins and free text loses CR, LF and NUL, so no input can inject a command.
 */
public final class IrcCommands {

  /** Twitch logins: 1-25 of lower-case letters, digits and underscores. */
  private static final Pattern CHANNEL = Pattern.compile("[a-z0-9_]{1,25}");

  private static final Pattern ANONYMOUS_NICK = Pattern.compile("justinfan[0-9]{1,10}");

  private IrcCommands() {}

  public static boolean isValidChannel(String channel) {
    return channel != null && CHANNEL.matcher(channel).matches();
  }

  /** Normalizes a user-given channel ("#Foo" -> "foo") or throws naming what is wrong. */
  public static String channel(String raw) {
    String c = raw.trim().toLowerCase(java.util.Locale.ROOT);
    if (c.startsWith("#")) {
      c = c.substring(1);
    }
    if (!isValidChannel(c)) {
      throw new IllegalArgumentException(
          "channel '" + clean(raw) + "' is not a Twitch login (1-25 of a-z, 0-9, _)");
    }
    return c;
  }

  public static String capabilities() {
    return "CAP REQ :twitch.tv/tags twitch.tv/commands";
  }

  public static String pass(String oauthToken) {
    String token = clean(oauthToken);
    return "PASS " + (token.startsWith("oauth:") ? token : "oauth:" + token);
  }

  public static String nick(String nick) {
    String n = clean(nick).toLowerCase(java.util.Locale.ROOT);
    if (!isValidChannel(n) && !ANONYMOUS_NICK.matcher(n).matches()) {
      throw new IllegalArgumentException("nick '" + n + "' is not a Twitch login");
    }
    return "NICK " + n;
  }

  /** One JOIN for several channels: Twitch accepts a comma list and counts each channel. */
  public static String join(Collection<String> channels) {
    return "JOIN " + list(channels);
  }

  public static String part(Collection<String> channels) {
    return "PART " + list(channels);
  }

  public static String ping(String token) {
    return "PING :" + clean(token);
  }

  /** The answer to a server PING, echoing its parameter. */
  public static String pong(String pingParams) {
    String p = clean(pingParams);
    return "PONG " + (p.isEmpty() ? ":tmi.twitch.tv" : p);
  }

  private static String list(Collection<String> channels) {
    StringBuilder sb = new StringBuilder();
    for (String c : channels) {
      if (!isValidChannel(c)) {
        throw new IllegalArgumentException("channel '" + clean(c) + "' is not a Twitch login");
      }
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append('#').append(c);
    }
    if (sb.length() == 0) {
      throw new IllegalArgumentException("no channels");
    }
    return sb.toString();
  }

  /** Removes CR, LF and NUL, which would end or corrupt an IRC line. */
  static String clean(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch != '\r' && ch != '\n' && ch != '\0') {
        sb.append(ch);
      }
    }
    return sb.toString();
  }
}
