package dev.streamhighlights.job.testing;

import java.io.Serializable;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * A sink that fails the job the first time it sees the element with id {@code victim} (optionally
 * only after a checkpoint happened, so the restore starts from one), and counts what it saw. State
 * is static and keyed by the test's name: the MiniCluster runs in the test JVM, and the sink itself
 * is copied into the job graph.
 */
public final class FailOnce<T> implements Sink<T> {

  private static final Map<String, AtomicBoolean> FIRED = new ConcurrentHashMap<>();
  private static final Map<String, AtomicInteger> SEEN = new ConcurrentHashMap<>();

  /** How the sink names an element; serializable so it travels with the job graph. */
  public interface Id<T> extends Function<T, String>, Serializable {}

  private final String key;
  private final Id<T> idOf;
  private final String victim;
  private final boolean afterCheckpoint;

  private FailOnce(String key, Id<T> idOf, String victim, boolean afterCheckpoint) {
    this.key = key;
    this.idOf = idOf;
    this.victim = victim;
    this.afterCheckpoint = afterCheckpoint;
    FIRED.put(key, new AtomicBoolean());
  }

  public static <T> FailOnce<T> at(String key, Id<T> idOf, String victim) {
    return new FailOnce<>(key, idOf, victim, false);
  }

  public static <T> FailOnce<T> afterACheckpointAt(String key, Id<T> idOf, String victim) {
    return new FailOnce<>(key, idOf, victim, true);
  }

  /** Whether the failure happened. */
  public static boolean fired(String key) {
    return FIRED.get(key).get();
  }

  /** How often the sink saw the element with this id (across restarts). */
  public static int seen(String key, String id) {
    AtomicInteger n = SEEN.get(key + "/" + id);
    return n == null ? 0 : n.get();
  }

  /** A restart strategy for tests that fail on purpose: a few quick restarts, then give up. */
  public static void allowRestarts(StreamExecutionEnvironment env) {
    Configuration restarts = new Configuration();
    restarts.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    restarts.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 2);
    restarts.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(100));
    env.configure(restarts);
  }

  @Override
  @SuppressWarnings("deprecation")
  public SinkWriter<T> createWriter(InitContext context) {
    return new SinkWriter<>() {
      private int checkpoints;

      @Override
      public void write(T element, Context ctx) {
        String id = idOf.apply(element);
        SEEN.computeIfAbsent(key + "/" + id, k -> new AtomicInteger()).incrementAndGet();
        if (id.equals(victim)
            && (!afterCheckpoint || checkpoints > 0)
            && FIRED.get(key).compareAndSet(false, true)) {
          throw new IllegalStateException("injected failure at " + id);
        }
      }

      @Override
      public void flush(boolean endOfInput) {
        if (!endOfInput) {
          checkpoints++;
        }
      }

      @Override
      public void close() {}
    };
  }
}
