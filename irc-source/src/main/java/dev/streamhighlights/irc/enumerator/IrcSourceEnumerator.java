package dev.streamhighlights.irc.enumerator;

import dev.streamhighlights.irc.connection.ChatIdentity;
import dev.streamhighlights.irc.connection.ChatSettings;
import dev.streamhighlights.irc.discovery.ChannelDiscovery;
import dev.streamhighlights.irc.protocol.IrcCommands;
import dev.streamhighlights.irc.split.IrcChannelSplit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.metrics.groups.SplitEnumeratorMetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which reader reads which channel: asks the {@link ChannelDiscovery} (once for a fixed
 * list, on an interval for the top streams), adds new channels, retires channels that left the
 * list, and spreads channels over readers by the JOIN rate of their chat identities (each new one
 * goes to the reader whose JOINs would be done first), never past the channel caps of a reader's
 * identities: channels beyond every reader's capacity wait unassigned, and are logged. Reader
 * {@code r} of {@code p} owns the identities {@link ChatSettings#identitiesOf} gives it; a reader
 * without one gets no channels. Its checkpoint is the channel -> reader map, an {@link
 * IrcSourceEnumState}; after a restore each reader reports the channels it brought back ({@link
 * RestoredChannelsEvent}), which corrects the map where a rescale moved them.
 */
public final class IrcSourceEnumerator
    implements SplitEnumerator<IrcChannelSplit, IrcSourceEnumState> {

  private static final Logger LOG = LoggerFactory.getLogger(IrcSourceEnumerator.class);
  private static final int UNASSIGNED = IrcSourceEnumState.UNASSIGNED;

  private final SplitEnumeratorContext<IrcChannelSplit> context;
  private final ChannelDiscovery discovery;
  private final long refreshMillis;

  /** Listings that failed while channels were tracked (the channels were kept). */
  private volatile long discoveryFailures;

  private volatile long lastDiscoveryMillis = -1;

  /** Invalid channel names already logged, so each is logged once. */
  private final Set<String> invalidLogged = new HashSet<>();

  /** Every tracked channel and its reader, in discovery order. */
  private final LinkedHashMap<String, Integer> assignments;

  /** The job's chat identities; empty: every reader alike, without a cap. */
  private final List<ChatIdentity> identities;

  private int overCapacityLogged;

  /** Every reader alike, without a channel cap. */
  public IrcSourceEnumerator(
      SplitEnumeratorContext<IrcChannelSplit> context,
      ChannelDiscovery discovery,
      long refreshMillis,
      IrcSourceEnumState restored) {
    this(context, discovery, refreshMillis, restored, List.of());
  }

  public IrcSourceEnumerator(
      SplitEnumeratorContext<IrcChannelSplit> context,
      ChannelDiscovery discovery,
      long refreshMillis,
      IrcSourceEnumState restored,
      List<ChatIdentity> identities) {
    this.context = context;
    this.discovery = discovery;
    this.refreshMillis = refreshMillis;
    this.assignments = new LinkedHashMap<>(restored.assignments());
    this.identities = List.copyOf(identities);
  }

  @Override
  public void start() {
    LOG.info("Chat channels from {}", discovery);
    SplitEnumeratorMetricGroup metrics = context.metricGroup();
    if (metrics != null) {
      metrics.gauge("trackedChannels", assignments::size);
      metrics.gauge("discoveryFailures", () -> discoveryFailures);
      metrics.gauge("lastDiscoveryMillis", () -> lastDiscoveryMillis);
    }
    if (discovery.isPeriodic()) {
      context.callAsync(this::discover, this::onDiscovered, 0, refreshMillis);
    } else {
      context.callAsync(this::discover, this::onDiscovered);
    }
  }

  /** Runs in the coordinator's worker thread; a listing of every live stream takes minutes. */
  private List<String> discover() throws Exception {
    long started = System.nanoTime();
    List<String> channels = discovery.discover();
    lastDiscoveryMillis = (System.nanoTime() - started) / 1_000_000;
    return channels;
  }

  void onDiscovered(List<String> channels, Throwable error) {
    if (error != null) {
      if (error instanceof IllegalStateException || assignments.isEmpty()) {
        // Missing credentials or no channel list at all: nothing to read, say why.
        throw new IllegalStateException(
            "cannot find channels to read: " + error.getMessage(), error);
      }
      // A listing is complete or an error: channels it did not reach are kept, not retired.
      discoveryFailures++;
      LOG.warn(
          "Channel discovery failed ({} times so far), keeping the {} channels: {}",
          discoveryFailures,
          assignments.size(),
          error.toString());
      return;
    }
    Set<String> wanted = new LinkedHashSet<>();
    for (String c : channels) {
      if (IrcCommands.isValidChannel(c)) {
        wanted.add(c);
      } else if (invalidLogged.add(c)) {
        // Discovery should not hand these out; a JOIN line must never carry one.
        LOG.warn("Ignoring discovered channel '{}': not a Twitch login", printable(c));
      }
    }
    // The list wins over restored state: a fixed list changed between runs, or streams that
    // ended, are left.
    retire(assignments.keySet().stream().filter(c -> !wanted.contains(c)).toList());
    int added = 0;
    for (String c : wanted) {
      if (assignments.putIfAbsent(c, UNASSIGNED) == null) {
        added++;
      }
    }
    if (added > 0) {
      LOG.info("{} new channels, {} tracked", added, assignments.size());
    }
    assignPending();
  }

  private void retire(List<String> gone) {
    if (gone.isEmpty()) {
      return;
    }
    Map<Integer, List<String>> byReader = new HashMap<>();
    for (String c : gone) {
      int reader = assignments.remove(c);
      if (reader != UNASSIGNED) {
        byReader.computeIfAbsent(reader, r -> new ArrayList<>()).add(c);
      }
    }
    byReader.forEach(
        (reader, list) -> {
          if (context.registeredReaders().containsKey(reader)) {
            context.sendEventToSourceReader(reader, new RetireChannelsEvent(list));
          }
        });
    LOG.info("{} channels retired (streams ended), {} tracked", gone.size(), assignments.size());
  }

  private void assignPending() {
    Set<Integer> readers = context.registeredReaders().keySet();
    if (readers.isEmpty()) {
      return;
    }
    Map<Integer, Integer> load = new HashMap<>();
    readers.forEach(r -> load.put(r, 0));
    assignments.values().forEach(r -> load.computeIfPresent(r, (k, v) -> v + 1));
    Map<Integer, ReaderLimits> limits = new HashMap<>();
    readers.forEach(r -> limits.put(r, limitsOf(r)));
    Map<Integer, List<IrcChannelSplit>> batch = new HashMap<>();
    int overCapacity = 0;
    for (Map.Entry<String, Integer> e : assignments.entrySet()) {
      if (e.getValue() != UNASSIGNED) {
        // Owned by a reader, registered or not: after a restore, readers bring their channels
        // back from their own state, and a failed reader's channels come back via addSplitsBack.
        continue;
      }
      Integer reader = null;
      double readerDone = Double.MAX_VALUE;
      for (int r : readers) {
        ReaderLimits l = limits.get(r);
        int n = load.get(r);
        if (l.joinsPerSecond <= 0 || n >= l.maxChannels) {
          continue;
        }
        // When the reader's JOINs would be done with this channel too; ties go to the lowest id.
        double done = (n + 1) / l.joinsPerSecond;
        if (reader == null || done < readerDone || (done == readerDone && r < reader)) {
          reader = r;
          readerDone = done;
        }
      }
      if (reader == null) {
        overCapacity++;
        continue;
      }
      load.merge(reader, 1, Integer::sum);
      e.setValue(reader);
      batch.computeIfAbsent(reader, r -> new ArrayList<>()).add(new IrcChannelSplit(e.getKey()));
    }
    if (!batch.isEmpty()) {
      context.assignSplits(new SplitsAssignment<>(batch));
    }
    if (overCapacity != overCapacityLogged) {
      if (overCapacity > 0) {
        LOG.warn(
            "{} channels not read: the chat identities of all {} readers are at their channel"
                + " caps (add identities or raise their caps)",
            overCapacity,
            readers.size());
      }
      overCapacityLogged = overCapacity;
    }
  }

  /** A reader's JOIN rate and channel cap: the sums over its identities. */
  private record ReaderLimits(double joinsPerSecond, long maxChannels) {}

  private ReaderLimits limitsOf(int reader) {
    if (identities.isEmpty()) {
      return new ReaderLimits(1, Long.MAX_VALUE);
    }
    double rate = 0;
    long cap = 0;
    for (ChatIdentity id :
        ChatSettings.identitiesOf(identities, reader, context.currentParallelism())) {
      rate += id.joinsPerSecond();
      cap =
          id.maxChannels() == ChatIdentity.NO_CAP
              ? Long.MAX_VALUE
              : saturatedAdd(cap, id.maxChannels());
    }
    return new ReaderLimits(rate, cap);
  }

  private static long saturatedAdd(long a, long b) {
    return a == Long.MAX_VALUE ? a : a + b;
  }

  private static String printable(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; s != null && i < s.length() && sb.length() < 60; i++) {
      char c = s.charAt(i);
      sb.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return sb.toString();
  }

  /** Refreshes that failed and kept the channels tracked before. */
  long discoveryFailures() {
    return discoveryFailures;
  }

  @Override
  public void handleSplitRequest(int subtaskId, String requesterHostname) {
    // Splits are pushed when readers register or channels appear; nothing to do on request.
  }

  @Override
  public void addSplitsBack(List<IrcChannelSplit> splits, int subtaskId) {
    for (IrcChannelSplit s : splits) {
      assignments.computeIfPresent(s.channel(), (c, r) -> UNASSIGNED);
    }
    assignPending();
  }

  @Override
  public void addReader(int subtaskId) {
    // The reader may have restored channels that were retired while it was away (a changed
    // channel list, a stream that ended): tell it which channels the job tracks. Not which are
    // its own: after a rescale Flink hands restored splits to other readers.
    context.sendEventToSourceReader(
        subtaskId, new TrackedChannelsEvent(new LinkedHashSet<>(assignments.keySet())));
    assignPending();
  }

  /**
   * A reader brought these channels back from its state. After a rescale that need not be the
   * reader the restored map names, so the map follows the report (a retirement must reach the
   * reader that reads the channel); a channel the job no longer tracks is retired at that reader.
   */
  @Override
  public void handleSourceEvent(int subtaskId, SourceEvent event) {
    if (!(event instanceof RestoredChannelsEvent restored)) {
      return;
    }
    List<String> untracked = new ArrayList<>();
    int moved = 0;
    for (String channel : restored.channels()) {
      Integer owner = assignments.get(channel);
      if (owner == null) {
        untracked.add(channel);
      } else if (owner != subtaskId) {
        assignments.put(channel, subtaskId);
        moved++;
      }
    }
    if (moved > 0) {
      LOG.info(
          "Reader {} restored {} channels the checkpoint gave another reader", subtaskId, moved);
    }
    if (!untracked.isEmpty()) {
      context.sendEventToSourceReader(subtaskId, new RetireChannelsEvent(untracked));
    }
  }

  @Override
  public IrcSourceEnumState snapshotState(long checkpointId) {
    return new IrcSourceEnumState(assignments);
  }

  @Override
  public void close() {}
}
