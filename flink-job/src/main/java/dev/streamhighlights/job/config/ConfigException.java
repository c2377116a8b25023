package dev.streamhighlights.job.config;

/** Bad configuration: the message is one line that names the option and what it accepts. */
public final class ConfigException extends RuntimeException {

  public ConfigException(String message) {
    super(message, null, false, false);
  }
}
