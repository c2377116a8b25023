package dev.streamhighlights.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/** The lines Twitch chat sends, worded and tagged as Twitch words and tags them. */
final class ChatLines {

  static final String SERVER = "tmi.twitch.tv";

  private ChatLines() {}

  /** Channel names arrive with or without '#', in any case; they are kept lower case without. */
  static String normalizeChannel(String channel) {
    String c = channel.trim();
    if (c.startsWith("#")) {
      c = c.substring(1);
    }
    return c.toLowerCase(Locale.ROOT);
  }

  static void requireSingleLine(String line) {
    if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("a line must not contain CR or LF: " + line);
    }
  }

  /**
   * A tagged PRIVMSG from one of 50 viewers picked by {@code seq}; a Shared Chat copy when {@code
   * sourceRoomId} is not null.
   */
  static String privmsg(
      String channel, String roomId, long tmiSentTs, String sourceRoomId, long seq) {
    return privmsg(channel, roomId, tmiSentTs, sourceRoomId, seq, UUID.randomUUID());
  }

  /** {@link #privmsg(String, String, long, String, long)} with the message id given. */
  static String privmsg(
      String channel, String roomId, long tmiSentTs, String sourceRoomId, long seq, UUID id) {
    int viewer = (int) (seq % 50) + 1;
    String login = "viewer" + viewer;
    StringBuilder b = new StringBuilder(400);
    b.append("@badge-info=;badges=;color=#1E90FF;display-name=Viewer")
        .append(viewer)
        .append(";emotes=;first-msg=0;flags=;id=")
        .append(id)
        .append(";mod=0;returning-chatter=0;room-id=")
        .append(roomId);
    if (sourceRoomId != null) {
      b.append(";source-badge-info=;source-badges=;source-id=")
          .append(UUID.randomUUID())
          .append(";source-only=0;source-room-id=")
          .append(sourceRoomId);
    }
    return b.append(";subscriber=0;tmi-sent-ts=")
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
        .append(" :message ")
        .append(seq)
        .toString();
  }

  /** A USERNOTICE; "raid", "sub" and "resub" get their usual msg-param tags. */
  static String userNotice(String channel, String roomId, String msgId, long tmiSentTs) {
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
      case "raid" -> {
        login = "raider";
        tags.put("msg-param-displayName", "Raider");
        tags.put("msg-param-login", login);
        tags.put("msg-param-viewerCount", "42");
        systemMsg = "42 raiders from Raider have joined!";
      }
      case "sub", "resub" -> {
        login = "subscriber1";
        tags.put("msg-param-cumulative-months", "1");
        tags.put("msg-param-should-share-streak", "0");
        tags.put("msg-param-sub-plan", "1000");
        tags.put("msg-param-sub-plan-name", "Channel Subscription");
        systemMsg = "Subscriber1 subscribed at Tier 1.";
      }
      default -> {
        login = "viewer1";
        systemMsg = msgId;
      }
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

  /**
   * The numerics after a good login; authenticated (not justinfan) logins also get GLOBALUSERSTATE.
   */
  static List<String> welcome(String requestedNick, boolean authenticated) {
    String n = requestedNick.toLowerCase(Locale.ROOT);
    String p = ":" + SERVER + " ";
    List<String> welcome = new ArrayList<>();
    welcome.add(p + "001 " + n + " :Welcome, GLHF!");
    welcome.add(p + "002 " + n + " :Your host is tmi.twitch.tv");
    welcome.add(p + "003 " + n + " :This server is rather new");
    welcome.add(p + "004 " + n + " :-");
    welcome.add(p + "375 " + n + " :-");
    welcome.add(p + "372 " + n + " :You are in a maze of twisty passages, all alike.");
    welcome.add(p + "376 " + n + " :>");
    if (authenticated) {
      welcome.add(
          "@badge-info=;badges=;color=;display-name="
              + requestedNick
              + ";emote-sets=0;user-id="
              + (1_000_000L + Math.floorMod(n.hashCode(), 1_000_000))
              + ";user-type= :"
              + SERVER
              + " GLOBALUSERSTATE");
    }
    return welcome;
  }

  /** What confirms a JOIN: the echo, the names list and the room's state. */
  static List<String> joined(String n, String channel, String roomId) {
    return List.of(
        ":" + n + "!" + n + "@" + n + ".tmi.twitch.tv JOIN #" + channel,
        ":" + n + ".tmi.twitch.tv 353 " + n + " = #" + channel + " :" + n,
        ":" + n + ".tmi.twitch.tv 366 " + n + " #" + channel + " :End of /NAMES list",
        "@emote-only=0;followers-only=-1;r9k=0;room-id="
            + roomId
            + ";slow=0;subs-only=0 :"
            + SERVER
            + " ROOMSTATE #"
            + channel);
  }

  static String parted(String nick, String channel) {
    return ":" + nick + "!" + nick + "@" + nick + ".tmi.twitch.tv PART #" + channel;
  }

  static String pong(String token) {
    return ":" + SERVER + " PONG " + SERVER + " :" + token;
  }

  static String notice(String text) {
    return ":" + SERVER + " NOTICE * :" + text;
  }

  static String capabilities(String subcommand, String caps) {
    return ":" + SERVER + " CAP * " + subcommand + " :" + caps;
  }

  static String ping() {
    return "PING :" + SERVER;
  }

  static String reconnect() {
    return ":" + SERVER + " RECONNECT";
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
}
