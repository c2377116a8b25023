package dev.streamhighlights.irc.connection;

/** Opens a transport for the settings' endpoint; tests substitute their own. */
@FunctionalInterface
interface TransportFactory {
  LineTransport create(ChatSettings settings, Runnable onOverlongLine);
}
