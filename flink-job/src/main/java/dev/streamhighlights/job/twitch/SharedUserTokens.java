package dev.streamhighlights.job.twitch;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One {@link UserTokens} per user token in a JVM, shared by the clip creators of every parallel
 * subtask there. Twitch spends a refresh token on first use: subtasks that each refreshed the same
 * token on their own would lock out all but the first.
 *
 * <p>A token is known by its auth server, client id and token store file, or, without a store, by
 * its initial refresh token. Holders are counted: the first creator makes one, the last to close
 * closes it. So nothing (threads, a token) outlives the job's tasks, and a restarted job starts
 * from the token store, not from a holder of a previous attempt. The map lives in the job's own
 * classes: a job jar in a user-code class loader gets one per job and task manager, a jar in
 * Flink's {@code lib/} (and tests) one per JVM.
 *
 * <p>Subtasks on other task managers cannot share memory. They share the token store when it is on
 * storage all of them see ({@code --twitch-token-store} on a shared volume): whoever refreshes
 * first writes the new pair there, and a refresh that Twitch refuses because the token was just
 * spent elsewhere takes that pair instead of giving up. Without a shared store the first task
 * manager to refresh wins and the others store their highlights {@code unauthorized} until the job
 * is restarted with a store or with new tokens.
 */
final class SharedUserTokens {

  private static final Map<Key, Holder> HOLDERS = new HashMap<>(); // guarded by HOLDERS

  private SharedUserTokens() {}

  /** The holder of this token, made and validated on first use; close the lease when done. */
  static Lease acquire(HelixSettings settings, TwitchCredentials credentials, TokenStore store) {
    Key key =
        new Key(
            settings.authBaseUrl(),
            credentials.clientId(),
            store.isSet()
                ? "store:" + store.file().toAbsolutePath().normalize()
                : "refresh-token:" + credentials.refreshToken());
    synchronized (HOLDERS) {
      Holder holder = HOLDERS.get(key);
      if (holder == null) {
        UserTokens tokens =
            new UserTokens(settings.authBaseUrl(), credentials, store, settings.requestTimeout());
        tokens.startValidating();
        holder = new Holder(tokens);
        HOLDERS.put(key, holder);
      }
      holder.users++;
      return new Lease(key, holder.tokens);
    }
  }

  /** How many tokens are held in this JVM (for tests: none once every creator closed). */
  static int held() {
    synchronized (HOLDERS) {
      return HOLDERS.size();
    }
  }

  private static void release(Key key) {
    UserTokens last = null;
    synchronized (HOLDERS) {
      Holder holder = HOLDERS.get(key);
      if (holder != null && --holder.users == 0) {
        HOLDERS.remove(key);
        last = holder.tokens;
      }
    }
    if (last != null) {
      last.close();
    }
  }

  /** A creator's use of a shared holder. */
  static final class Lease implements AutoCloseable {
    private final Key key;
    private final UserTokens tokens;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Lease(Key key, UserTokens tokens) {
      this.key = key;
      this.tokens = tokens;
    }

    UserTokens tokens() {
      return tokens;
    }

    @Override
    public void close() {
      if (closed.compareAndSet(false, true)) {
        release(key);
      }
    }
  }

  private static final class Holder {
    final UserTokens tokens;
    int users;

    Holder(UserTokens tokens) {
      this.tokens = tokens;
    }
  }

  /** Holds a refresh token when there is no store: never printed. */
  private record Key(String authBaseUrl, String clientId, String token) {
    @Override
    public String toString() {
      return "Key{" + authBaseUrl + ", " + clientId + "}";
    }
  }
}
