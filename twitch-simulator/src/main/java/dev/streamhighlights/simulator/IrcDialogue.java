package dev.streamhighlights.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server's side of the IRC conversation on one connection: capabilities, login, JOIN, PING.
 * JOINs count against the account's limits across all its connections ({@link IdentityLedger}); a
 * JOIN that breaks one ends the connection, as on Twitch.
 */
final class IrcDialogue {

  private static final Set<String> KNOWN_CAPS =
      Set.of("twitch.tv/tags", "twitch.tv/commands", "twitch.tv/membership");

  private final ChatSession session;
  private final ChatSettings settings;
  private final ChatStats stats;
  private final IdentityLedger ledger;

  private final Set<String> joined = ConcurrentHashMap.newKeySet();

  /**
   * Guards {@link #joined} against {@link #closed()}, so a channel is never held after its
   * connection closed; never held while writing, which may close the session from another thread.
   */
  private final Object heldLock = new Object();

  private boolean closed; // guarded by heldLock
  private volatile boolean loggedIn;
  private volatile String nick;
  private volatile String pass;

  IrcDialogue(ChatSession session, ChatSettings settings, ChatStats stats, IdentityLedger ledger) {
    this.session = session;
    this.settings = settings;
    this.stats = stats;
    this.ledger = ledger;
  }

  /** The connection closed: its account no longer holds its channels. */
  void closed() {
    int held;
    synchronized (heldLock) {
      closed = true;
      held = joined.size();
      joined.clear();
    }
    if (nick != null) {
      ledger.released(nick, held);
    }
  }

  boolean loggedIn() {
    return loggedIn;
  }

  /** The login (lower case), null before NICK. */
  String nick() {
    return nick;
  }

  /** Channels joined, lower case without '#'; a live view. */
  Set<String> joined() {
    return joined;
  }

  /** Answers one line from the client, on the reading thread. */
  void handle(String line) {
    stats.lineReceived(line);
    IrcCommand cmd = IrcCommand.parse(line);
    if (cmd == null) {
      return;
    }
    switch (cmd.command()) {
      case "CAP" -> capabilities(cmd);
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
        String token = params.isEmpty() ? ChatLines.SERVER : params.get(params.size() - 1);
        session.write(List.of(ChatLines.pong(token)));
      }
      case "QUIT" -> session.close(false);
      default -> {
        // Twitch ignores what it does not know (USER, PONG, PRIVMSG from a reader, ...).
      }
    }
  }

  private void capabilities(IrcCommand cmd) {
    String sub = cmd.param(0) == null ? "" : cmd.param(0).toUpperCase(Locale.ROOT);
    if (sub.equals("LS")) {
      session.write(
          List.of(ChatLines.capabilities("LS", String.join(" ", new TreeSet<>(KNOWN_CAPS)))));
    } else if (sub.equals("REQ")) {
      String requested = cmd.param(1) == null ? "" : cmd.param(1).trim();
      boolean known = true;
      for (String cap : requested.split(" +")) {
        known &= KNOWN_CAPS.contains(cap);
      }
      session.write(List.of(ChatLines.capabilities(known ? "ACK" : "NAK", requested)));
    }
  }

  private void login(String requestedNick) {
    if (loggedIn || requestedNick == null || requestedNick.isBlank()) {
      return;
    }
    String password = pass;
    String notice = null;
    if (settings.loginsFail()) {
      notice = "Login authentication failed";
    } else if (password != null && !password.startsWith("oauth:")) {
      notice = "Improperly formatted auth"; // what Twitch says to a token without "oauth:"
    }
    if (notice != null) {
      session.write(List.of(ChatLines.notice(notice)));
      session.close(false);
      return;
    }
    nick = requestedNick.toLowerCase(Locale.ROOT);
    // Logged in only once the welcome is out, so no chat line can overtake it.
    if (session.write(ChatLines.welcome(requestedNick, password != null))) {
      loggedIn = true;
      ledger.loggedIn(nick);
    }
  }

  private void join(String channelList) {
    List<String> channels = new ArrayList<>();
    for (String c : channelList.split(",")) {
      if (!c.isBlank()) {
        channels.add(ChatLines.normalizeChannel(c));
      }
    }
    int newlyHeld = 0;
    for (String ch : new TreeSet<>(channels)) {
      if (!joined.contains(ch)) {
        newlyHeld++;
      }
    }
    switch (ledger.join(nick, channels.size(), newlyHeld)) {
      case JOIN_RATE_BROKEN -> {
        stats.joinLimitDisconnect();
        session.close(false);
        return;
      }
      case CHANNEL_CAP_BROKEN -> {
        stats.channelCapDisconnect();
        session.close(false);
        return;
      }
      case ALLOWED -> {}
    }
    int held = 0;
    for (String ch : channels) {
      // Joined only after the confirmation is out, so chat cannot arrive before the JOIN.
      if (session.write(ChatLines.joined(nick, ch, settings.roomIdOf(ch)))) {
        synchronized (heldLock) {
          if (!closed && joined.add(ch)) {
            held++;
            stats.membership(nick, ch, true);
          }
        }
      }
    }
    ledger.released(nick, newlyHeld - held);
  }

  private void part(String channelList) {
    for (String c : channelList.split(",")) {
      if (!c.isBlank()) {
        String ch = ChatLines.normalizeChannel(c);
        boolean held;
        synchronized (heldLock) {
          held = joined.remove(ch);
        }
        if (held) {
          ledger.released(nick, 1);
          stats.membership(nick, ch, false);
        }
        session.write(List.of(ChatLines.parted(nick, ch)));
      }
    }
  }
}
