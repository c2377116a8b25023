package dev.streamhighlights.job.backtest;

import java.io.Serializable;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Inputs of a job that runs in this JVM (backtests on a local cluster), handed over in memory, the
 * way {@link LocalResults} hands the results back: a chat log of 5 million rows is 60 MB of
 * columns, which the job graph would copy several times (source, coordinator, deployment) before
 * the first count; shared under a key, it is read where it lies.
 */
public final class LocalInputs {

  private static final Map<String, Object> INPUTS = new ConcurrentHashMap<>();

  private LocalInputs() {}

  /** Shares {@code value} in this JVM until {@link Shared#close()}. */
  public static <T> Shared<T> share(T value) {
    String key = UUID.randomUUID().toString();
    INPUTS.put(key, value);
    return new Shared<>(key);
  }

  /** A value shared in this JVM, by key: what travels with the job graph. */
  public record Shared<T>(String key) implements Serializable, AutoCloseable {

    /**
     * The value.
     *
     * @throws IllegalStateException if it is not shared in this JVM (a remote cluster, or after
     *     {@link #close()})
     */
    @SuppressWarnings("unchecked")
    public T get() {
      Object value = INPUTS.get(key);
      if (value == null) {
        throw new IllegalStateException(
            "the job's input is not in this JVM: backtests run on a local cluster");
      }
      return (T) value;
    }

    /** Ends the sharing, after the job. */
    @Override
    public void close() {
      INPUTS.remove(key);
    }
  }
}
