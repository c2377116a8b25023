package dev.streamhighlights.job.twitch;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;

/**
 * Keeps the newest user token and refresh token in a file readable only by its owner, so a token
 * refreshed by one run is the one the next run starts with (Twitch invalidates a refresh token once
 * it has been used).
 */
public final class TokenStore {

  private final Path file;

  public TokenStore(Path file) {
    this.file = file;
  }

  /** Whether there is a file to keep tokens in. */
  public boolean isSet() {
    return file != null;
  }

  /** The file, or null. */
  Path file() {
    return file;
  }

  /** The stored tokens, or null when there are none. */
  public String[] load() {
    if (file == null || !Files.isRegularFile(file)) {
      return null;
    }
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(in);
    } catch (IOException e) {
      return null;
    }
    String access = p.getProperty(TwitchCredentials.USER_TOKEN);
    String refresh = p.getProperty(TwitchCredentials.REFRESH_TOKEN);
    return access == null || refresh == null ? null : new String[] {access, refresh};
  }

  /** Replaces the stored tokens atomically. */
  public void save(String access, String refresh) throws IOException {
    if (file == null) {
      return;
    }
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".twitch-tokens", ".tmp");
    try {
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException ignored) {
        // not a POSIX file system
      }
      Properties p = new Properties();
      p.setProperty(TwitchCredentials.USER_TOKEN, access);
      p.setProperty(TwitchCredentials.REFRESH_TOKEN, refresh);
      try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        p.store(out, "Twitch tokens refreshed by stream-highlights; keep private");
      }
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  @Override
  public String toString() {
    return file == null ? "no token store" : "token store " + file;
  }
}
