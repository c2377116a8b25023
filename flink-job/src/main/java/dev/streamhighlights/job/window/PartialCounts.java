package dev.streamhighlights.job.window;

import dev.streamhighlights.irc.model.ChatMessage;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.ChainingStrategy;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Counts chat per channel and window before the {@code keyBy}, chained to the source, so the
 * shuffle and the window operator see one record per channel and window instead of one per message
 * (most of the pipeline's cost per message was moving messages across that shuffle).
 *
 * <p>Nothing is held across a checkpoint and nothing changes in time: a window's counts go out when
 * the watermark passes the window's end, just before that watermark (so the window operator has
 * them when it fires), and all open counts go out before every checkpoint barrier and at the end of
 * the input. The window operator adds up what it gets. Messages that come after the watermark
 * passed their window are counted the same way and go out with the next watermark (or barrier): the
 * window operator finds the count late as it would have found each message, and a job that falls
 * behind its chat sends one late count per channel and window instead of one record per late
 * message. Each count carries its messages per second ({@link SecondCounts}).
 */
public final class PartialCounts extends AbstractStreamOperator<ChatCount>
    implements OneInputStreamOperator<ChatMessage, ChatCount> {

  private final long windowMillis;

  /** Open windows by start, each with its channels' counts. */
  private transient TreeMap<Long, Map<String, Partial>> open;

  /** The window the last message fell in (most do), or null: saves the sorted map's lookup. */
  private transient Map<String, Partial> lastWindow;

  private transient long lastStart;

  private transient StreamRecord<ChatCount> reuse;
  private transient Counter countsOut;

  /** One channel's count in one window so far. */
  private static final class Partial {
    String channelId = "";
    long eventTime = Long.MIN_VALUE;
    long messages;
    boolean watchStarted;
    int[] seconds;
  }

  public PartialCounts(long windowMillis) {
    this.windowMillis = windowMillis;
    this.chainingStrategy = ChainingStrategy.ALWAYS;
  }

  @Override
  public void open() throws Exception {
    super.open();
    open = new TreeMap<>();
    reuse = new StreamRecord<>(null);
    countsOut = getMetricGroup().counter("partialCounts");
  }

  @Override
  public void processElement(StreamRecord<ChatMessage> element) {
    ChatMessage m = element.getValue();
    long t = m.eventTime();
    long start = TimeWindow.getWindowStartWithOffset(t, 0, windowMillis);
    Map<String, Partial> window = lastWindow;
    if (window == null || start != lastStart) {
      window = open.get(start);
      if (window == null) {
        window = new HashMap<>();
        open.put(start, window);
      }
      lastWindow = window;
      lastStart = start;
    }
    Partial p = window.get(m.channel());
    if (p == null) {
      p = new Partial();
      window.put(m.channel(), p);
    }
    if (m.isMessage()) {
      p.messages++;
      if (p.seconds == null) {
        p.seconds = new int[SecondCounts.slots(windowMillis)];
      }
      p.seconds[SecondCounts.slot(t, start)]++;
    } else {
      p.watchStarted = true;
    }
    if (!m.channelId().isEmpty()) {
      p.channelId = m.channelId();
    }
    if (t > p.eventTime) {
      p.eventTime = t;
    }
  }

  @Override
  public void processWatermark(Watermark mark) throws Exception {
    long w = mark.getTimestamp();
    Iterator<Map.Entry<Long, Map<String, Partial>>> it = open.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Long, Map<String, Partial>> e = it.next();
      if (e.getKey() + windowMillis - 1 > w) {
        break; // this window and every later one is still open
      }
      flush(e.getValue());
      it.remove();
      lastWindow = null;
    }
    super.processWatermark(mark);
  }

  @Override
  public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
    super.prepareSnapshotPreBarrier(checkpointId);
    flushAll();
  }

  @Override
  public void finish() throws Exception {
    flushAll();
    super.finish();
  }

  private void flushAll() {
    for (Map<String, Partial> window : open.values()) {
      flush(window);
    }
    open.clear();
    lastWindow = null;
  }

  private void flush(Map<String, Partial> window) {
    for (Map.Entry<String, Partial> e : window.entrySet()) {
      Partial p = e.getValue();
      countsOut.inc();
      output.collect(
          reuse.replace(
              new ChatCount(
                  e.getKey(), p.channelId, p.eventTime, p.messages, p.watchStarted, p.seconds),
              p.eventTime));
    }
  }
}
