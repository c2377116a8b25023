package dev.streamhighlights.irc.reader;

import dev.streamhighlights.irc.config.Secrets;
import dev.streamhighlights.irc.connection.ChatClient;
import dev.streamhighlights.irc.connection.ChatIdentity;
import dev.streamhighlights.irc.connection.ChatListener;
import dev.streamhighlights.irc.connection.ChatSettings;
import dev.streamhighlights.irc.connection.ChatStats;
import dev.streamhighlights.irc.enumerator.RestoredChannelsEvent;
import dev.streamhighlights.irc.enumerator.RetireChannelsEvent;
import dev.streamhighlights.irc.enumerator.TrackedChannelsEvent;
import dev.streamhighlights.irc.model.ChatMessage;
import dev.streamhighlights.irc.split.IrcChannelSplit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the chat of its channels through a {@link ChatClient} and emits each message with its
 * {@code tmi-sent-ts} as event time, through one output per channel so every channel has its own
 * watermark (and idleness). Connection threads hand messages over a bounded queue: when the job
 * falls behind, they stop reading and TCP slows the server down, instead of buffering without end.
 *
 * <p>Live chat's event time is Twitch's clock. When no chat at all has arrived for {@code
 * eventTimeLag} (and none waits in the queue), event time still moves on with the wall clock,
 * {@code eventTimeLag} behind it, so windows close about on time even when every channel is quiet.
 * While chat flows, or waits, it does not: it would turn what is still to come late.
 */
public final class IrcSourceReader
    implements SourceReader<ChatMessage, IrcChannelSplit>, ChatListener {

  private static final Logger LOG = LoggerFactory.getLogger(IrcSourceReader.class);

  /** Messages buffered between connection threads and the task thread. */
  static final int QUEUE_CAPACITY = 32 * 1024;

  /** Messages emitted per pollNext call, so checkpoints and timers get their turn. */
  static final int BATCH = 1024;

  /** How often an idle reader moves event time on with the wall clock. */
  static final long IDLE_WATERMARK_INTERVAL_MS = 200;

  /** Default lag of event time behind the wall clock when idle. */
  public static final Duration DEFAULT_EVENT_TIME_LAG = Duration.ofSeconds(2);

  private final SourceReaderContext context;
  private final ChatSettings settings;
  private final Secrets secrets;
  private final long eventTimeLagMillis;
  private final ChatStats stats = new ChatStats();
  private final BlockingQueue<ChatMessage> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
  private final AtomicReference<Exception> fatal = new AtomicReference<>();
  private volatile CompletableFuture<Void> available = new CompletableFuture<>();

  private final Map<String, IrcChannelSplit> splits = new LinkedHashMap<>();
  private final Map<String, SourceOutput<ChatMessage>> outputs = new HashMap<>();
  private final Set<String> newSplits = new LinkedHashSet<>();
  private final Set<String> retired = new LinkedHashSet<>();
  private ChatClient client;
  private Counter emitted;
  private volatile int channelCount;
  private volatile long lastIdleWatermark;
  private long idleWatermarks;

  /** When a connection last handed over a message or marker (wall clock ms). */
  private volatile long lastHandedOver;

  private Counter watchStartsEmitted;

  public IrcSourceReader(SourceReaderContext context, ChatSettings settings, Secrets secrets) {
    this(context, settings, secrets, DEFAULT_EVENT_TIME_LAG);
  }

  /**
   * @param eventTimeLag how far behind the wall clock event time stands while nothing arrives (the
   *     pipeline's out-of-orderness: a message later than that is late anyway); null: the chat is
   *     not stamped with the current time (a replay at another speed, tests with recorded times),
   *     so event time moves only with the chat and messages ahead of the clock are kept
   */
  public IrcSourceReader(
      SourceReaderContext context, ChatSettings settings, Secrets secrets, Duration eventTimeLag) {
    this.context = context;
    this.settings = settings;
    this.secrets = secrets;
    this.eventTimeLagMillis = eventTimeLag == null ? -1 : eventTimeLag.toMillis();
  }

  @Override
  public void start() {
    // Only this reader's identities, so no identity is ever shared by two readers.
    ChatSettings own =
        settings.forReader(context.getIndexOfSubtask(), context.currentParallelism());
    LOG.info(
        "Chat identities of reader {} of {}: {}",
        context.getIndexOfSubtask(),
        context.currentParallelism(),
        own.identities().isEmpty()
            ? "none (more readers than identities: this one reads no channels)"
            : own.identities().stream().map(ChatIdentity::describe).toList());
    client = new ChatClient(own, this, stats, secrets);
    registerMetrics(context.metricGroup());
    // Restored splits arrive before start(), and no assigned one yet: Flink registers the reader
    // just before and the enumerator's answers come through the mailbox. After a rescale the
    // enumerator cannot know which reader got which channel: tell it.
    splits.keySet().forEach(client::join);
    if (!splits.isEmpty()) {
      context.sendSourceEventToCoordinator(
          new RestoredChannelsEvent(new ArrayList<>(splits.keySet())));
    }
  }

  @Override
  public InputStatus pollNext(ReaderOutput<ChatMessage> output) throws Exception {
    Exception error = fatal.get();
    if (error != null) {
      throw error;
    }
    for (String channel : retired) {
      if (outputs.remove(channel) != null) {
        output.releaseOutputForSplit(channel);
      }
    }
    retired.clear();
    for (String channel : newSplits) {
      outputs.put(channel, output.createOutputForSplit(channel));
    }
    newSplits.clear();
    if (splits.isEmpty()) {
      // Without channels this reader has no watermark to give; it must not hold others back.
      output.markIdle();
    }
    for (int i = 0; i < BATCH; i++) {
      ChatMessage m = queue.poll();
      if (m == null) {
        emitIdleWatermark(output);
        return InputStatus.NOTHING_AVAILABLE;
      }
      SourceOutput<ChatMessage> out = outputs.get(m.channel());
      if (out != null) {
        out.collect(m, m.eventTime());
        if (m.isMessage()) {
          emitted.inc();
        } else {
          watchStartsEmitted.inc();
        }
      }
    }
    return queue.isEmpty() ? InputStatus.NOTHING_AVAILABLE : InputStatus.MORE_AVAILABLE;
  }

  /**
   * With the queue empty, nothing this reader has received is waiting: event time may follow the
   * wall clock. Emitted on the reader's main output, which goes downstream directly; channels that
   * are active keep their own, later watermarks through their split outputs.
   */
  private void emitIdleWatermark(ReaderOutput<ChatMessage> output) {
    if (eventTimeLagMillis < 0) {
      return;
    }
    long now = System.currentTimeMillis();
    if (now - lastIdleWatermark < IDLE_WATERMARK_INTERVAL_MS) {
      return;
    }
    if (now - lastHandedOver < eventTimeLagMillis) {
      // Chat arrived moments ago: the queue is only empty between two messages, and more may
      // be on the way (a connection working through its socket after a pause). Only a reader
      // that received nothing for the lag knows that nothing older than the lag is coming.
      return;
    }
    lastIdleWatermark = now;
    idleWatermarks++;
    output.emitWatermark(new Watermark(now - eventTimeLagMillis - 1));
  }

  @Override
  public CompletableFuture<Void> isAvailable() {
    if (!queue.isEmpty()
        || fatal.get() != null
        || !newSplits.isEmpty()
        || !retired.isEmpty()
        || idleWatermarkDue()) {
      return CompletableFuture.completedFuture(null);
    }
    // The same pending future until it completes: Flink may ask more than once and listens to the
    // first one it got.
    CompletableFuture<Void> f = available;
    if (f.isDone()) {
      f = new CompletableFuture<>();
      available = f;
    }
    // A message may have arrived between the check and the swap.
    if (!queue.isEmpty() || fatal.get() != null) {
      f.complete(null);
    }
    return f;
  }

  @Override
  public void addSplits(List<IrcChannelSplit> added) {
    for (IrcChannelSplit s : added) {
      if (splits.putIfAbsent(s.channel(), s) == null) {
        newSplits.add(s.channel());
        retired.remove(s.channel());
        if (client != null) {
          client.join(s.channel());
        }
      }
    }
    channelCount = splits.size();
    LOG.info("Reading {} channels ({} added)", splits.size(), added.size());
    available.complete(null);
  }

  @Override
  public void handleSourceEvents(SourceEvent event) {
    if (event instanceof TrackedChannelsEvent owned) {
      List<String> others =
          splits.keySet().stream().filter(c -> !owned.channels().contains(c)).toList();
      if (!others.isEmpty()) {
        LOG.info("Leaving {} restored channels no longer configured", others.size());
        handleSourceEvents(new RetireChannelsEvent(others));
      }
    } else if (event instanceof RetireChannelsEvent r) {
      for (String channel : r.channels()) {
        if (splits.remove(channel) != null) {
          client.part(channel);
          newSplits.remove(channel);
          retired.add(channel);
        }
      }
      channelCount = splits.size();
      available.complete(null);
    }
  }

  @Override
  public void notifyNoMoreSplits() {
    // Live chat never ends.
  }

  @Override
  public List<IrcChannelSplit> snapshotState(long checkpointId) {
    return new ArrayList<>(splits.values());
  }

  @Override
  public void close() throws Exception {
    if (client != null) {
      client.close();
    }
  }

  // ChatListener, called by connection threads

  @Override
  public void onMessage(ChatMessage message) throws InterruptedException {
    // Before the put, so a reader that takes this message sees the chat as still flowing (a put
    // that waited out backpressure would otherwise look like long silence); after it, for the wait.
    lastHandedOver = System.currentTimeMillis();
    queue.put(message);
    lastHandedOver = System.currentTimeMillis();
    CompletableFuture<Void> f = available;
    if (!f.isDone()) {
      f.complete(null);
    }
  }

  @Override
  public long futureToleranceMillis() {
    return eventTimeLagMillis < 0 ? Long.MAX_VALUE : DEFAULT_FUTURE_TOLERANCE_MILLIS;
  }

  @Override
  public boolean backpressured() {
    return queue.remainingCapacity() == 0;
  }

  /** Wakes the task when an idle watermark is due, so event time moves on without chat. */
  @Override
  public void onTick() {
    if (idleWatermarkDue()) {
      CompletableFuture<Void> f = available;
      if (!f.isDone()) {
        f.complete(null);
      }
    }
  }

  private boolean idleWatermarkDue() {
    long now = System.currentTimeMillis();
    return eventTimeLagMillis >= 0
        && now - lastIdleWatermark >= IDLE_WATERMARK_INTERVAL_MS
        && now - lastHandedOver >= eventTimeLagMillis;
  }

  @Override
  public void onFatalError(Exception error) {
    LOG.error(error.getMessage());
    fatal.compareAndSet(null, error);
    available.complete(null);
  }

  private void registerMetrics(MetricGroup group) {
    emitted = group.counter("chatMessages");
    watchStartsEmitted = group.counter("watchStarts");
    group.gauge("futureTimestamps", stats.futureTimestamps::sum);
    group.gauge("idleWatermarks", () -> idleWatermarks);
    group.meter("chatMessagesPerSecond", new MeterView(emitted));
    group.gauge("channels", () -> channelCount);
    group.gauge("channelsJoined", client::joinedCount);
    group.gauge("channelsOverCapacity", client::overCapacityCount);
    group.gauge("connections", client::connectionCount);
    group.gauge("reconnects", stats.reconnects::sum);
    group.gauge("parseErrors", stats.parseErrors::sum);
    group.gauge("sharedChatCopiesSkipped", stats.sharedChatCopies::sum);
    group.gauge("userNotices", stats.userNotices::sum);
    group.gauge("loginFailures", stats.loginFailures::sum);
    group.gauge("joinsSent", stats.joinsSent::sum);
    group.gauge(
        "lagMs",
        () -> {
          long last = stats.lastEventTime.get();
          return last < 0 ? 0L : System.currentTimeMillis() - last;
        });
  }
}
