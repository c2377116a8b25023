package dev.streamhighlights.irc.config;

import java.io.Serializable;
import java.util.Map;

/**
 * Where the source reads secrets by name: the process environment of the JVM that needs them (the
 * JobManager for app credentials, TaskManagers for the chat token), never program arguments, which
 * the Flink web UI shows. Tests substitute a map.
 */
@FunctionalInterface
public interface Secrets extends Serializable {

  /** The secret's value, or null when it is not set. */
  String get(String name);

  /** The environment. */
  static Secrets environment() {
    return System::getenv;
  }

  /** Fixed values, for tests. */
  static Secrets of(Map<String, String> values) {
    Map<String, String> copy = Map.copyOf(values);
    return copy::get;
  }
}
