package dev.streamhighlights.irc.connection;

import java.io.Serializable;
import java.net.URI;
import java.time.Duration;

/**
 * How the source talks to the chat server. Built and checked by the source's builder.
 *
 * @param endpoint {@code ircs://}, {@code wss://}, or for tests {@code irc://} / {@code ws://}
 * @param nick login name; null logs in anonymously as {@code justinfan<digits>}
 * @param tokenEnvVariable environment variable holding the OAuth token for {@code nick}, read on
 *     the task manager so the token never travels with the job graph; null for anonymous
 * @param maxChannelsPerConnection channels one connection joins at most
 * @param joinLimit channel joins allowed per {@code joinWindow} (per reader)
 * @param silenceBeforePing a connection that received nothing this long is pinged
 * @param pongTimeout and reconnected when nothing arrives this long after the ping
 * @param maxBackoff longest wait between reconnect attempts (0, 1, 2, 4, ... seconds up to it)
 * @param loginAttempts failed logins in a row before the source gives up with an error
 * @param connectTimeout TCP/TLS/WebSocket connect timeout
 */
public record ChatSettings(
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
    Duration connectTimeout)
    implements Serializable {}
