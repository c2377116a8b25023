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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceEvent;
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
 * {@code tmi-sent-ts} as event time. Connection threads hand messages over in batches through a
 * bounded queue: when the job falls behind, they stop reading and TCP slows the server down,
 * instead of buffering without end.
 *
 * <p>Every message goes through the reader's one output: channels are splits (the unit the
 * enumerator assigns and checkpoints), not watermark outputs, so Flink keeps no per-channel
 * watermark machinery (at 100,000 channels it cost most of the CPU and held every window back until
 * the slowest chatting channel's idleness ran out).
 *
 * <p>Live chat's event time is Twitch's clock, and the reader emits the watermarks itself (the job
 * gives the source no watermark generator): event time follows the wall clock, {@code eventTimeLag}
 * behind it, as far as every connection has handed over what it received. A connection waiting for
 * the network hands over nothing older than now; one that works through a read, or waits for the
 * job to take its messages, may still hand over older ones, back to the newest it handed over (see
 * {@link ChatClient#eventTimeBound}). A watermark is emitted only after the messages that were in
 * the queue when it was computed, so nothing received before it can be late. Windows thus close
 * {@code eventTimeLag} after their end, whether chat flows or every channel is quiet.
 *
 * <p>Without {@code eventTimeLag} (a replay at another speed, recorded times) the reader emits no
 * watermarks and the job's strategy derives them from the messages.
 */
public final class IrcSourceReader
    implements SourceReader<ChatMessage, IrcChannelSplit>, ChatListener {

  private static final Logger LOG = LoggerFactory.getLogger(IrcSourceReader.class);

  /**
   * The most messages buffered between connection threads and the task thread, in batches of any
   * size (a connection hands over a read's messages, up to 256 at once).
   */
  static final int QUEUE_CAPACITY = 32 * 1024;

  /** Messages emitted per pollNext call, so checkpoints and timers get their turn. */
  static final int BATCH = 1024;

  /** How often the reader moves event time on with the wall clock. */
  static final long WATERMARK_INTERVAL_MS = 200;

  /** Default lag of event time behind the wall clock when idle. */
  public static final Duration DEFAULT_EVENT_TIME_LAG = Duration.ofSeconds(2);

  private final SourceReaderContext context;
  private final ChatSettings settings;
  private final Secrets secrets;
  private final long eventTimeLagMillis;
  private final ChatStats stats = new ChatStats();
  private final Queue<ChatMessage[]> queue = new ConcurrentLinkedQueue<>();

  /** Room in {@link #queue}, in messages: a connection waits for it before handing over. */
  private final Semaphore room = new Semaphore(QUEUE_CAPACITY);

  /** Messages ever handed over by the connections (counted just before they enter the queue). */
  private final AtomicLong handedTotal = new AtomicLong();

  /** The batch being emitted (task thread only), and the next message in it. */
  private ChatMessage[] current;

  private int currentAt;
  private final AtomicReference<Exception> fatal = new AtomicReference<>();
  private volatile CompletableFuture<Void> available = new CompletableFuture<>();

  private final Map<String, IrcChannelSplit> splits = new LinkedHashMap<>();
  private ChatClient client;
  private Counter emitted;
  private volatile int channelCount;

  /** Messages and markers emitted so far. */
  private long emittedTotal;

  /** The watermark computed last, waiting for the queue's older messages; MIN_VALUE if none. */
  private long pendingWatermark = Long.MIN_VALUE;

  /** {@link #emittedTotal} at which {@link #pendingWatermark} may go out. */
  private long pendingAfter;

  /** The last watermark emitted, and when the next is computed (wall clock ms). */
  private volatile long lastWatermark = Long.MIN_VALUE;

  private volatile long nextWatermarkAt;

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
    if (splits.isEmpty()) {
      // Without channels this reader has no watermark to give; it must not hold others back.
      output.markIdle();
    }
    for (int i = 0; i < BATCH; i++) {
      if (current == null || currentAt == current.length) {
        current = queue.poll();
        currentAt = 0;
        if (current == null) {
          break;
        }
        room.release(current.length);
      }
      ChatMessage m = current[currentAt];
      current[currentAt++] = null;
      emittedTotal++;
      if (splits.containsKey(m.channel())) { // not a channel retired since the connection read it
        output.collect(m, m.eventTime());
        if (m.isMessage()) {
          emitted.inc();
        } else {
          watchStartsEmitted.inc();
        }
      }
    }
    advanceEventTime(output);
    return hasQueued() ? InputStatus.MORE_AVAILABLE : InputStatus.NOTHING_AVAILABLE;
  }

  /** Whether messages wait to be emitted (task thread only). */
  private boolean hasQueued() {
    return (current != null && currentAt < current.length) || !queue.isEmpty();
  }

  /**
   * Moves event time on with the wall clock, {@code eventTimeLag} behind it or behind the oldest
   * message a connection may still hand over, whichever is earlier; the watermark waits until the
   * messages queued when it was computed are out.
   */
  private void advanceEventTime(ReaderOutput<ChatMessage> output) {
    if (eventTimeLagMillis < 0 || client == null) {
      return;
    }
    if (pendingWatermark != Long.MIN_VALUE && emittedTotal >= pendingAfter) {
      lastWatermark = pendingWatermark;
      pendingWatermark = Long.MIN_VALUE;
      output.emitWatermark(new Watermark(lastWatermark));
    }
    long now = System.currentTimeMillis();
    if (pendingWatermark != Long.MIN_VALUE || now < nextWatermarkAt) {
      return;
    }
    nextWatermarkAt = now + WATERMARK_INTERVAL_MS;
    // The connections first, then the count: whatever they handed over before is counted in it.
    long watermark = client.eventTimeBound(now) - eventTimeLagMillis - 1;
    if (watermark <= lastWatermark) {
      return;
    }
    long after = handedTotal.get();
    if (emittedTotal >= after) {
      lastWatermark = watermark;
      output.emitWatermark(new Watermark(watermark));
    } else {
      pendingWatermark = watermark;
      pendingAfter = after;
    }
  }

  @Override
  public CompletableFuture<Void> isAvailable() {
    if (hasQueued() || fatal.get() != null || watermarkDue()) {
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
    onMessages(new ChatMessage[] {message});
  }

  @Override
  public void onMessages(ChatMessage[] messages) throws InterruptedException {
    room.acquire(messages.length);
    handedTotal.addAndGet(messages.length);
    queue.add(messages);
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
    return room.hasQueuedThreads();
  }

  /** Wakes the task when a watermark is due, so event time moves on without chat. */
  @Override
  public void onTick() {
    if (watermarkDue()) {
      CompletableFuture<Void> f = available;
      if (!f.isDone()) {
        f.complete(null);
      }
    }
  }

  private boolean watermarkDue() {
    return eventTimeLagMillis >= 0 && System.currentTimeMillis() >= nextWatermarkAt;
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
    group.gauge(
        "watermarkLagMs",
        () -> {
          long w = lastWatermark;
          return w == Long.MIN_VALUE ? 0L : System.currentTimeMillis() - w;
        });
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
