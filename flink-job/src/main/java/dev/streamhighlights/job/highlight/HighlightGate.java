package dev.streamhighlights.job.highlight;

import dev.streamhighlights.job.model.Highlight;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * One moment, one clip: lets a channel's highlight through unless it belongs to the same run of
 * surge windows as the previous one or comes within the cooldown after it.
 */
public class HighlightGate extends KeyedProcessFunction<String, Highlight, Highlight> {

  /** Name of the keyed state; part of savepoints, never rename. */
  public static final String STATE_NAME = "last-highlight";

  /** What the gate remembers of a channel's last highlight; a POJO so it can evolve. */
  public static class LastHighlight {
    public long detectedAt;
    public long runStart;

    public LastHighlight() {}
  }

  private final long cooldownMillis;
  private final long retentionMillis;

  private transient ValueState<LastHighlight> last;
  private transient Counter passed;
  private transient Counter suppressed;

  public HighlightGate(long cooldownMillis, long retentionMillis) {
    this.cooldownMillis = cooldownMillis;
    this.retentionMillis = Math.max(retentionMillis, cooldownMillis);
  }

  @Override
  public void open(OpenContext openContext) {
    last =
        getRuntimeContext().getState(new ValueStateDescriptor<>(STATE_NAME, LastHighlight.class));
    passed = getRuntimeContext().getMetricGroup().counter("highlights");
    suppressed = getRuntimeContext().getMetricGroup().counter("highlightsSuppressed");
  }

  @Override
  public void processElement(Highlight h, Context ctx, Collector<Highlight> out) throws Exception {
    LastHighlight previous = last.value();
    if (previous != null
        && ctx.timestamp() != null
        && previous.detectedAt + retentionMillis < ctx.timestamp()) {
      // Forgotten, as the timer forgets it, whether or not event time reached the timer before
      // this highlight came (a backlog or a replay moves event time in large steps).
      previous = null;
    }
    if (previous != null
        && (previous.runStart == h.runStart()
            || h.detectedAt() - previous.detectedAt < cooldownMillis)) {
      suppressed.inc();
      return;
    }
    LastHighlight now = new LastHighlight();
    now.detectedAt = h.detectedAt();
    now.runStart = h.runStart();
    last.update(now);
    // The memory of a highlight is only needed while a run or the cooldown can last; dropping it
    // afterwards keeps state bounded by the channels active recently.
    ctx.timerService().registerEventTimeTimer(h.detectedAt() + retentionMillis);
    passed.inc();
    out.collect(h);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Highlight> out)
      throws Exception {
    LastHighlight previous = last.value();
    if (previous != null && previous.detectedAt + retentionMillis <= timestamp) {
      last.clear();
    }
  }
}
