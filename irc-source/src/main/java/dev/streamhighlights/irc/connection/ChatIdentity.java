package dev.streamhighlights.irc.connection;

import java.io.Serializable;
import java.time.Duration;

/**
 * One chat login and the limits Twitch holds it to, over all its connections: at most {@code
 * joinLimit} channel JOINs in any {@code joinWindow}, and at most {@code maxChannels} channels
 * joined at once. Twitch: 20 JOINs per 10 s for an account, 2,000 for a verified bot; at most 100
 * channels for a logged-in account; limits of anonymous logins are not documented.
 *
 * @param nick the login: {@code justinfan<digits>} for an anonymous identity
 * @param tokenEnvVariable environment variable holding the OAuth token, read on the task manager so
 *     the token never travels with the job graph; null for an anonymous identity
 * @param joinLimit channel JOINs allowed per {@code joinWindow}
 * @param joinWindow the sliding window of {@code joinLimit}
 * @param maxChannels channels held joined at once; {@link #NO_CAP} for no cap
 */
public record ChatIdentity(
    String nick, String tokenEnvVariable, int joinLimit, Duration joinWindow, int maxChannels)
    implements Serializable {

  public static final int NO_CAP = Integer.MAX_VALUE;

  /** Read-only login without a token, as {@code justinfan<number>}. */
  public static ChatIdentity anonymous(
      long number, int joinLimit, Duration joinWindow, int maxChannels) {
    return new ChatIdentity("justinfan" + number, null, joinLimit, joinWindow, maxChannels);
  }

  public boolean isAnonymous() {
    return tokenEnvVariable == null;
  }

  /** Sustained JOINs per second. */
  public double joinsPerSecond() {
    return joinLimit * 1e9 / joinWindow.toNanos();
  }

  /** For logs: the nick and its limits (never the token). */
  public String describe() {
    return nick
        + (isAnonymous() ? " (anonymous" : " (logged in")
        + ", "
        + joinLimit
        + " joins per "
        + joinWindow.toMillis()
        + " ms"
        + (maxChannels == NO_CAP ? ", no channel cap)" : ", at most " + maxChannels + " channels)");
  }
}
