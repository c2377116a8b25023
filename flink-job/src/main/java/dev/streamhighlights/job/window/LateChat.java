package dev.streamhighlights.job.window;

import dev.streamhighlights.job.model.ChannelActivity;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chat messages that arrived after their window had closed (later than {@code --out-of-orderness}
 * behind the watermark): counted in the metric {@code lateChatMessages} and logged (the first few,
 * then every ten thousandth), never silently lost.
 *
 * <p>A late watch-start marker still matters: it says the channel was not watched before it. It
 * goes on to the detector as an empty window flagged {@code watchStarted}, so the channel's history
 * is reset all the same (metric {@code lateWatchStarts}). Late messages go on to the detector as
 * well, as a count flagged {@code late}: what their window's count missed. The detector corrects
 * its history with it, or starts the history over when much of a window came late, so chat that
 * comes late (a job or a Twitch delivery that falls behind) does not leave a dip in the history
 * that the next complete window would rise from as a surge.
 */
public class LateChat extends ProcessFunction<ChatCount, ChannelActivity> {

  private static final Logger LOG = LoggerFactory.getLogger(LateChat.class);
  private static final long LOG_FIRST = 10;
  private static final long LOG_EVERY = 10_000;

  private final long windowMillis;

  private transient Counter late;
  private transient Counter lateWatchStarts;

  public LateChat(long windowMillis) {
    this.windowMillis = windowMillis;
  }

  @Override
  public void open(OpenContext openContext) {
    late = getRuntimeContext().getMetricGroup().counter("lateChatMessages");
    lateWatchStarts = getRuntimeContext().getMetricGroup().counter("lateWatchStarts");
  }

  @Override
  public void processElement(ChatCount m, Context ctx, Collector<ChannelActivity> out) {
    long start = TimeWindow.getWindowStartWithOffset(m.eventTime(), 0, windowMillis);
    if (m.watchStarted()) {
      lateWatchStarts.inc();
      LOG.warn(
          "A watch-start marker of channel {} came {} ms behind the watermark; the channel's"
              + " history is reset all the same (check the task managers' clocks against Twitch's)",
          m.channel(),
          ctx.timerService().currentWatermark() - m.eventTime());
      out.collect(
          new ChannelActivity(m.channel(), m.channelId(), start, start + windowMillis, 0, true));
    }
    if (m.messages() == 0) {
      return;
    }
    late.inc(m.messages());
    out.collect(
        new ChannelActivity(
            m.channel(), m.channelId(), start, start + windowMillis, m.messages(), false, true));
    long n = late.getCount();
    if (n - m.messages() < LOG_FIRST || (n - m.messages()) / LOG_EVERY != n / LOG_EVERY) {
      LOG.warn(
          "Chat came too late for its window ({} messages so far; now {} of channel {}, {} ms behind"
              + " the watermark): not in the stored activity, added to the detector's history"
              + " (raise --out-of-orderness if this grows)",
          n,
          m.messages(),
          m.channel(),
          ctx.timerService().currentWatermark() - m.eventTime());
    }
  }
}
