package dev.streamhighlights.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A line a client sent, as the server acts on it: tags and prefix dropped, command upper case. */
record IrcCommand(String command, List<String> params) {

  /** Null for a line that holds no command. */
  static IrcCommand parse(String line) {
    String rest = line;
    if (rest.startsWith("@")) {
      rest = afterFirstSpace(rest);
    }
    if (rest.startsWith(":")) {
      rest = afterFirstSpace(rest);
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

  /** The {@code i}-th parameter, or null if there are fewer. */
  String param(int i) {
    return i < params.size() ? params.get(i) : null;
  }

  private static String afterFirstSpace(String s) {
    int sp = s.indexOf(' ');
    return sp < 0 ? "" : s.substring(sp + 1).stripLeading();
  }
}
