package dev.streamhighlights.job.backtest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Results of a job that runs in this JVM (backtests on a local cluster), handed over in memory: a
 * sink with a fresh key passes each element to a consumer registered in this JVM. Flink's collect()
 * was not used: on a local cluster that shuts down as soon as the job ends it can lose the last
 * results ("Failed to get job status ... Some data might be lost"), which made a backtest read from
 * Kafka return nothing now and then.
 */
public final class LocalResults {

  private static final Map<String, Consumer<Object>> CONSUMERS = new ConcurrentHashMap<>();
  private static final Map<String, Boolean> OPENED = new ConcurrentHashMap<>();

  private LocalResults() {}

  /** A sink whose elements go to {@code consumer} (called from the job's threads). */
  @SuppressWarnings("unchecked")
  public static <T> Handle<T> to(Consumer<? super T> consumer) {
    String key = UUID.randomUUID().toString();
    CONSUMERS.put(key, o -> consumer.accept((T) o));
    return new Handle<>(key);
  }

  /** A sink whose elements are kept in a list, for {@link Handle#finish()} to return. */
  public static <T> ListHandle<T> list() {
    ConcurrentLinkedQueue<T> queue = new ConcurrentLinkedQueue<>();
    return new ListHandle<>(to(queue::add), queue);
  }

  /** One job's results. */
  public record Handle<T>(String key) {

    public Sink<T> sink() {
      return new InJvmSink<>(key);
    }

    /**
     * Ends the hand-over after the job finished.
     *
     * @throws IllegalStateException if no sink writer ran in this JVM (a remote cluster)
     */
    public void finish() {
      CONSUMERS.remove(key);
      if (OPENED.remove(key) == null) {
        throw new IllegalStateException(
            "the job's results were not written in this JVM: backtests run on a local cluster");
      }
    }
  }

  /** Results kept in a list. */
  public record ListHandle<T>(Handle<T> handle, ConcurrentLinkedQueue<T> queue) {

    public Sink<T> sink() {
      return handle.sink();
    }

    public List<T> finish() {
      handle.finish();
      return new ArrayList<>(queue);
    }
  }

  private record InJvmSink<T>(String key) implements Sink<T> {

    @Override
    @SuppressWarnings("deprecation")
    public SinkWriter<T> createWriter(InitContext context) {
      return writer();
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
      return writer();
    }

    private SinkWriter<T> writer() {
      Consumer<Object> consumer = CONSUMERS.get(key);
      if (consumer == null) {
        throw new IllegalStateException("results of " + key + " were already taken");
      }
      OPENED.put(key, true);
      return new SinkWriter<>() {
        @Override
        public void write(T element, Context context) {
          consumer.accept(element);
        }

        @Override
        public void flush(boolean endOfInput) {}

        @Override
        public void close() {}
      };
    }
  }
}
