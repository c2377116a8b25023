package dev.streamhighlights.job.detect;

import dev.streamhighlights.job.model.ChannelActivity;
import dev.streamhighlights.job.model.Surge;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Per channel: keeps the recent window counts in keyed state, asks the {@link SurgeRule} about each
 * new window and emits a {@link Surge} for each window it calls a surge.
 *
 * <p>A window without messages produces no {@link ChannelActivity}. The detector notices the gap
 * when the next window arrives and counts the missing windows as zero before evaluating it. No rule
 * can fire on an empty window (the count would have to rise), so applying the zeros then gives
 * exactly the result of evaluating each empty window when the watermark passed it, with one timer
 * per channel instead of one per window. That timer drops the state of a channel that stays quiet
 * for the retention time, so channels that went offline do not keep state forever; a channel that
 * comes back starts over and needs a full history before it can fire again.
 *
 * <p>A gap is only quiet if the source watched the channel through it. A window flagged {@link
 * ChannelActivity#watchStarted()} says the source (re)started watching during it (first join, a
 * rejoin after a dropped connection, a job restored after downtime): the windows before are
 * unknown, not zero, and the window itself is incomplete. The detector then forgets the channel's
 * history and evaluates again only once the rule has a full history of watched windows, so a
 * restart never turns steady chat into a burst of surges against a history of zeros.
 *
 * <p>Chat that came too late for its window arrives as a count flagged {@link
 * ChannelActivity#late()}: what that window's count missed. It is added to the window in the
 * history (never evaluated: its moment is over). When more than {@link #LATE_SHARE_RESET} of a
 * window came late, or the window is newer than the history (all of it late), the history is not
 * trusted and starts over as after a restart: chat that falls behind must not leave a dip that the
 * next complete window rises from as a surge.
 *
 * <p>The history's length follows the running configuration (the longer of {@code historyWindows}
 * and what the rules look at), also for state restored from a run with another length.
 */
public class SurgeDetector extends KeyedProcessFunction<String, ChannelActivity, Surge> {

  /** Name of the keyed state; part of savepoints, never rename. */
  public static final String STATE_NAME = "detector-state";

  private final SurgeRule rule;
  private final Map<String, SurgeRule> channelRules;
  private final long windowMillis;
  private final int historyWindows;
  private final long retentionMillis;

  private transient ValueState<DetectorState> state;
  private transient Counter surges;
  private transient Counter zeroWindows;
  private transient Counter channelsDropped;
  private transient Counter historyResets;
  private transient Counter lateCorrections;

  /** Share of a window's messages that came late above which its channel's history starts over. */
  static final double LATE_SHARE_RESET = 0.1;

  public SurgeDetector(
      SurgeRule rule, long windowMillis, int historyWindows, long retentionMillis) {
    this(rule, Map.of(), windowMillis, historyWindows, retentionMillis);
  }

  /** A detector where the channels in {@code channelRules} use their own rule. */
  public SurgeDetector(
      SurgeRule rule,
      Map<String, SurgeRule> channelRules,
      long windowMillis,
      int historyWindows,
      long retentionMillis) {
    this.rule = rule;
    this.channelRules = new HashMap<>(channelRules);
    this.windowMillis = windowMillis;
    // As many windows as the rule that looks furthest back needs.
    int keep = Math.max(historyWindows, rule.historyWindows());
    for (SurgeRule r : channelRules.values()) {
      keep = Math.max(keep, r.historyWindows());
    }
    this.historyWindows = keep;
    this.retentionMillis = retentionMillis;
  }

  @Override
  public void open(OpenContext openContext) {
    state =
        getRuntimeContext().getState(new ValueStateDescriptor<>(STATE_NAME, DetectorState.class));
    surges = getRuntimeContext().getMetricGroup().counter("surges");
    zeroWindows = getRuntimeContext().getMetricGroup().counter("zeroWindows");
    channelsDropped = getRuntimeContext().getMetricGroup().counter("channelsDropped");
    historyResets = getRuntimeContext().getMetricGroup().counter("historyResets");
    lateCorrections = getRuntimeContext().getMetricGroup().counter("lateCorrections");
  }

  @Override
  public void processElement(ChannelActivity activity, Context ctx, Collector<Surge> out)
      throws Exception {
    DetectorState s = state.value();
    if (s != null
        && ctx.timestamp() != null
        && s.lastWindowEnd + retentionMillis < ctx.timestamp()) {
      // Dropped, as the cleanup timer drops a channel quiet for the retention, whether or not event
      // time reached the timer before this window came (a backlog or a replay moves event time in
      // large steps): the same counts give the same surges however event time moves.
      channelsDropped.inc();
      s = null;
    }
    if (activity.late()) {
      if (s != null) {
        correct(s, activity);
        state.update(s);
      }
      return;
    }
    if (s == null) {
      s = new DetectorState(historyWindows);
    } else {
      s.resize(historyWindows);
    }
    if (activity.watchStarted()) {
      // Unwatched before this window and only partly watched in it: nothing to compare with.
      if (s.filled > 0) {
        historyResets.inc();
      }
      s.forget();
      // A marker that came late (its window already closed) must not move the channel back.
      s.lastWindowEnd = Math.max(s.lastWindowEnd, activity.windowEnd());
      keep(s, ctx);
      return;
    }
    if (s.lastWindowEnd > 0) {
      fillEmptyWindows(s, activity.windowStart());
    }
    SurgeRule rule = channelRules.getOrDefault(activity.channel(), this.rule);
    if (s.filled >= rule.windowsNeeded()) {
      SurgeRule.Evaluation e = rule.evaluate(s.counts, s.filled, activity.count(), activity.peak());
      if (e.surge()) {
        if (s.runStart < 0) {
          s.runStart = activity.windowStart();
        }
        surges.inc();
        out.collect(
            new Surge(
                activity.channel(),
                activity.channelId(),
                activity.windowStart(),
                activity.windowEnd(),
                activity.count(),
                e.movingAverage(),
                e.derivative(),
                e.score(),
                s.runStart,
                rule.name()));
      } else {
        s.runStart = -1;
      }
    }
    s.push(activity.count());
    s.lastWindowEnd = activity.windowEnd();
    keep(s, ctx);
  }

  private void keep(DetectorState s, Context ctx) throws Exception {
    if (s.cleanupTimer == 0) {
      s.cleanupTimer = s.lastWindowEnd + retentionMillis;
      ctx.timerService().registerEventTimeTimer(s.cleanupTimer);
    }
    state.update(s);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Surge> out) throws Exception {
    DetectorState s = state.value();
    if (s == null) {
      return;
    }
    if (s.lastWindowEnd + retentionMillis <= timestamp) {
      channelsDropped.inc();
      state.clear();
    } else {
      s.cleanupTimer = s.lastWindowEnd + retentionMillis;
      ctx.timerService().registerEventTimeTimer(s.cleanupTimer);
      state.update(s);
    }
  }

  /** Adds late chat to its window in the history, or starts the history over. */
  private void correct(DetectorState s, ChannelActivity late) {
    if (late.windowEnd() > s.lastWindowEnd) {
      // A window the detector never saw: all of it came late, and the windows since are unknown.
      if (s.filled > 0) {
        historyResets.inc();
      }
      s.forget();
      s.lastWindowEnd = late.windowEnd();
      return;
    }
    long behind = (s.lastWindowEnd - late.windowEnd()) / windowMillis;
    if (behind >= s.filled) {
      return; // older than the history
    }
    int i = (int) (s.filled - 1 - behind);
    s.counts[i] += late.count();
    if (late.count() > LATE_SHARE_RESET * s.counts[i]) {
      historyResets.inc();
      s.forget();
    } else {
      lateCorrections.inc();
    }
  }

  private void fillEmptyWindows(DetectorState s, long windowStart) {
    long missing = (windowStart - s.lastWindowEnd) / windowMillis;
    if (missing <= 0) {
      return;
    }
    s.runStart = -1;
    zeroWindows.inc(missing);
    for (long i = 0; i < Math.min(missing, historyWindows); i++) {
      s.push(0);
    }
  }
}
