package dev.streamhighlights.job.backtest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Results of a job that runs in this JVM (backtests on a local cluster), handed over in memory. A
 * sink with a fresh key adds each element to a queue in this JVM; after {@code execute()} returned
 * the caller takes them. Flink's collect() was not used: on a local cluster that shuts down as soon
 * as the job ends it can lose the last results ("Failed to get job status ... Some data might be
 * lost"), which made a backtest read from Kafka return nothing now and then.
 */
public final class LocalResults {

  private static final Map<String, Queue<Object>> RESULTS = new ConcurrentHashMap<>();

  private LocalResults() {}

  /** A fresh place for one job's results. */
  public static <T> Handle<T> create() {
    String key = UUID.randomUUID().toString();
    RESULTS.put(key, new ConcurrentLinkedQueue<>());
    return new Handle<>(key);
  }

  /** Where a sink puts results and where the caller takes them from. */
  public record Handle<T>(String key) {

    public Sink<T> sink() {
      return new InJvmSink<>(key);
    }

    /** The results, removing them from this JVM. */
    @SuppressWarnings("unchecked")
    public List<T> take() {
      Queue<Object> q = RESULTS.remove(key);
      List<T> out = new ArrayList<>();
      if (q != null) {
        q.forEach(o -> out.add((T) o));
      }
      return out;
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
      Queue<Object> queue = RESULTS.get(key);
      if (queue == null) {
        throw new IllegalStateException("results of " + key + " were already taken");
      }
      return new SinkWriter<>() {
        @Override
        public void write(T element, Context context) {
          queue.add(element);
        }

        @Override
        public void flush(boolean endOfInput) {}

        @Override
        public void close() {}
      };
    }
  }
}
