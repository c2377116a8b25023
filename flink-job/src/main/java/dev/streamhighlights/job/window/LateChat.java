package dev.streamhighlights.job.window;

import dev.streamhighlights.irc.model.ChatMessage;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chat messages that arrived after their window had closed (later than {@code --out-of-orderness}
 * behind the watermark): counted in the metric {@code lateChatMessages} and logged (the first few,
 * then every ten thousandth), never silently lost. Emits nothing.
 */
public class LateChat extends ProcessFunction<ChatMessage, ChatMessage> {

  private static final Logger LOG = LoggerFactory.getLogger(LateChat.class);
  private static final long LOG_FIRST = 10;
  private static final long LOG_EVERY = 10_000;

  private transient Counter late;
  private transient Counter lateWatchStarts;

  @Override
  public void open(OpenContext openContext) {
    late = getRuntimeContext().getMetricGroup().counter("lateChatMessages");
    lateWatchStarts = getRuntimeContext().getMetricGroup().counter("lateWatchStarts");
  }

  @Override
  public void processElement(ChatMessage m, Context ctx, Collector<ChatMessage> out) {
    if (!m.isMessage()) {
      // The source's clock is far behind the chat server's: the detector will not learn that the
      // channel was unwatched before this point.
      lateWatchStarts.inc();
      LOG.error(
          "A watch-start marker of channel {} came {} ms behind the watermark: check the clock of"
              + " the task managers against Twitch's (NTP)",
          m.channel(),
          ctx.timerService().currentWatermark() - m.eventTime());
      return;
    }
    late.inc();
    long n = late.getCount();
    if (n <= LOG_FIRST || n % LOG_EVERY == 0) {
      LOG.warn(
          "Dropped a chat message too late for its window ({} so far): channel {}, {} ms behind the"
              + " watermark (raise --out-of-orderness if this grows)",
          n,
          m.channel(),
          ctx.timerService().currentWatermark() - m.eventTime());
    }
  }
}
