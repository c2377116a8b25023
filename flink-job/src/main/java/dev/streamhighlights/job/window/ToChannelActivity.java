package dev.streamhighlights.job.window;

import dev.streamhighlights.job.model.ChannelActivity;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/** Turns a window's count into a {@link ChannelActivity} with the window's bounds. */
public class ToChannelActivity
    extends ProcessWindowFunction<MessageCount.Accumulator, ChannelActivity, String, TimeWindow> {

  @Override
  public void process(
      String channel,
      Context context,
      Iterable<MessageCount.Accumulator> counts,
      Collector<ChannelActivity> out) {
    MessageCount.Accumulator acc = counts.iterator().next();
    TimeWindow w = context.window();
    out.collect(
        new ChannelActivity(
            channel,
            acc.channelId == null ? "" : acc.channelId,
            w.getStart(),
            w.getEnd(),
            acc.count,
            acc.watchStarted,
            false,
            SecondCounts.peak(acc.seconds, acc.count)));
  }
}
