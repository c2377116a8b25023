package dev.streamhighlights.irc.connection;

import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How the source talks to the chat server. Built and checked by the source's builder.
 *
 * <p>Each identity's limits hold for the whole job: identity {@code i} belongs to reader {@code i
 * mod parallelism} alone ({@link #forReader}), so no two readers, which may run in different task
 * managers, ever join as the same identity. A reader without an identity reads no channels.
 *
 * @param endpoint {@code ircs://}, {@code wss://}, or for tests {@code irc://} / {@code ws://}
 * @param identities the logins channels are joined as, each with its own JOIN rate and channel cap
 * @param maxChannelsPerConnection channels one connection joins at most
 * @param silenceBeforePing a connection that received nothing this long is pinged
 * @param pongTimeout and reconnected when nothing arrives this long after the ping
 * @param maxBackoff longest wait between reconnect attempts (0, 1, 2, 4, ... seconds up to it)
 * @param loginAttempts failed logins in a row before the source gives up with an error
 * @param connectTimeout TCP/TLS/WebSocket connect timeout
 */
public record ChatSettings(
    URI endpoint,
    List<ChatIdentity> identities,
    int maxChannelsPerConnection,
    Duration silenceBeforePing,
    Duration pongTimeout,
    Duration maxBackoff,
    int loginAttempts,
    Duration connectTimeout)
    implements Serializable {

  public ChatSettings {
    identities = List.copyOf(identities);
  }

  /**
   * One identity without a channel cap: the account {@code nick} with its token in {@code
   * tokenEnvVariable}, or when both are null an anonymous {@code justinfan<random digits>}.
   */
  public ChatSettings(
      URI endpoint,
      String nick,
      String tokenEnvVariable,
      int maxChannelsPerConnection,
      int joinLimit,
      Duration joinWindow,
      Duration silenceBeforePing,
      Duration pongTimeout,
      Duration maxBackoff,
      int loginAttempts,
      Duration connectTimeout) {
    this(
        endpoint,
        List.of(
            nick == null
                ? ChatIdentity.anonymous(
                    ThreadLocalRandom.current().nextLong(10_000, 99_999_999),
                    joinLimit,
                    joinWindow,
                    ChatIdentity.NO_CAP)
                : new ChatIdentity(
                    nick, tokenEnvVariable, joinLimit, joinWindow, ChatIdentity.NO_CAP)),
        maxChannelsPerConnection,
        silenceBeforePing,
        pongTimeout,
        maxBackoff,
        loginAttempts,
        connectTimeout);
  }

  /** The identities of reader {@code subtask} of {@code parallelism}: every one with that rest. */
  public static List<ChatIdentity> identitiesOf(
      List<ChatIdentity> identities, int subtask, int parallelism) {
    List<ChatIdentity> own = new ArrayList<>();
    for (int i = subtask; i < identities.size(); i += parallelism) {
      own.add(identities.get(i));
    }
    return own;
  }

  /** These settings with only the identities of reader {@code subtask} of {@code parallelism}. */
  public ChatSettings forReader(int subtask, int parallelism) {
    return new ChatSettings(
        endpoint,
        identitiesOf(identities, subtask, parallelism),
        maxChannelsPerConnection,
        silenceBeforePing,
        pongTimeout,
        maxBackoff,
        loginAttempts,
        connectTimeout);
  }
}
