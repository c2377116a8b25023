package dev.streamhighlights.job.clip;

import dev.streamhighlights.job.model.ClipResult;
import dev.streamhighlights.job.model.Highlight;
import dev.streamhighlights.job.model.StoredHighlight;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The async I/O stage: asks the {@link ClipCreator} for each highlight's clip and completes with
 * the highlight and the outcome. A failed or timed-out request still yields the highlight, with a
 * status that says what happened, so no highlight is lost to a Twitch problem.
 */
public class ClipCreation extends RichAsyncFunction<Highlight, StoredHighlight> {

  private static final Logger LOG = LoggerFactory.getLogger(ClipCreation.class);

  private final ClipCreatorFactory factory;

  private transient ClipCreator creator;
  private transient Counter requested;
  private transient Counter timedOut;
  private transient java.util.Map<String, Counter> byStatus;

  public ClipCreation(ClipCreatorFactory factory) {
    this.factory = factory;
  }

  @Override
  public void open(OpenContext openContext) {
    creator = factory.create();
    requested = getRuntimeContext().getMetricGroup().counter("clipRequests");
    timedOut = getRuntimeContext().getMetricGroup().counter("clipTimeouts");
    // One counter per outcome ("clips" group, e.g. clips.created, clips.restricted).
    byStatus = new java.util.concurrent.ConcurrentHashMap<>();
    org.apache.flink.metrics.MetricGroup clips =
        getRuntimeContext().getMetricGroup().addGroup("clips");
    for (String status : ClipResult.STATUSES) {
      byStatus.put(status, clips.counter(status));
    }
    creator.registerMetrics(getRuntimeContext().getMetricGroup());
  }

  @Override
  public void asyncInvoke(Highlight highlight, ResultFuture<StoredHighlight> result) {
    requested.inc();
    creator
        .create(highlight)
        .whenComplete(
            (clip, error) -> {
              ClipResult outcome = clip;
              if (error != null) {
                LOG.warn("Clip request for {} failed: {}", highlight.id(), error.toString());
                outcome = ClipResult.withoutClip(ClipResult.FAILED, error.toString());
              }
              count(outcome);
              result.complete(List.of(new StoredHighlight(highlight, outcome)));
            });
  }

  @Override
  public void timeout(Highlight highlight, ResultFuture<StoredHighlight> result) {
    timedOut.inc();
    count(ClipResult.withoutClip(ClipResult.TIMEOUT, null));
    result.complete(
        List.of(
            new StoredHighlight(
                highlight, ClipResult.withoutClip(ClipResult.TIMEOUT, "no answer in time"))));
  }

  private void count(ClipResult outcome) {
    Counter c = byStatus.get(outcome.status());
    if (c != null) {
      c.inc();
    }
  }

  @Override
  public void close() throws Exception {
    if (creator != null) {
      creator.close();
    }
  }
}
