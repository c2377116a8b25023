package dev.streamhighlights.irc.discovery;

import dev.streamhighlights.irc.protocol.IrcCommands;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A fixed channel list of any length in a text file: one login per line, any case; blank lines are
 * skipped and {@code #} starts a comment (whole line or after a login); duplicates are ignored.
 * Errors name the file and the line.
 */
public final class ChannelsFile {

  private ChannelsFile() {}

  /**
   * The logins in {@code file}, lower case, in file order, each once; throws {@link
   * IllegalArgumentException} naming the file and line of the first invalid one.
   */
  public static List<String> read(Path file) {
    Set<String> logins = new LinkedHashSet<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      for (int number = 1; (line = in.readLine()) != null; number++) {
        String login = loginOf(line);
        if (login == null) {
          continue;
        }
        if (!IrcCommands.isValidChannel(login)) {
          throw new IllegalArgumentException(
              file
                  + " line "
                  + number
                  + ": '"
                  + printable(line.strip())
                  + "' is not a Twitch login (1-25 of a-z, 0-9, _)");
        }
        logins.add(login);
      }
    } catch (IOException | UncheckedIOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e, e);
    }
    if (logins.isEmpty()) {
      throw new IllegalArgumentException(file + " lists no channels");
    }
    return List.copyOf(logins);
  }

  /** The login on one line, lower case, or null for a blank line or a comment. */
  static String loginOf(String line) {
    int comment = line.indexOf('#'); // never part of a login
    String s = (comment >= 0 ? line.substring(0, comment) : line).strip();
    return s.isEmpty() ? null : s.toLowerCase(Locale.ROOT);
  }

  /** At most 60 characters of {@code s} for a log line, anything not printable ASCII as '?'. */
  static String printable(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length() && sb.length() < 60; i++) {
      char c = s.charAt(i);
      sb.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return sb.toString();
  }
}
