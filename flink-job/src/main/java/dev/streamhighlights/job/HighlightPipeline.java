package dev.streamhighlights.job;

import dev.streamhighlights.irc.model.ChatMessage;
import dev.streamhighlights.job.clip.ClipCreation;
import dev.streamhighlights.job.clip.ClipCreatorFactory;
import dev.streamhighlights.job.clip.ClipLedger;
import dev.streamhighlights.job.clip.OverBudgetLedger;
import dev.streamhighlights.job.detect.SurgeDetector;
import dev.streamhighlights.job.eventtime.ChatWatermarks;
import dev.streamhighlights.job.highlight.ClipBudget;
import dev.streamhighlights.job.highlight.HighlightGate;
import dev.streamhighlights.job.highlight.HighlightPattern;
import dev.streamhighlights.job.model.ChannelActivity;
import dev.streamhighlights.job.model.Highlight;
import dev.streamhighlights.job.model.StoredHighlight;
import dev.streamhighlights.job.model.Surge;
import dev.streamhighlights.job.window.ChatCount;
import dev.streamhighlights.job.window.LateChat;
import dev.streamhighlights.job.window.MessageCount;
import dev.streamhighlights.job.window.PartialCounts;
import dev.streamhighlights.job.window.ToChannelActivity;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.util.OutputTag;

/**
 * The highlight pipeline, as the diagram reads: chat -> event time -> 10 s counts per channel ->
 * surge detector -> CEP confirmation and cooldown -> clip budget -> async clip creation -> sinks.
 * Sources and sinks are injected so tests run this exact topology.
 */
public final class HighlightPipeline {

  // Operator uids: part of every savepoint. Never rename one once released.
  public static final String UID_SOURCE = "chat-source";
  public static final String UID_PARTIAL_COUNTS = "partial-counts";
  public static final String UID_WINDOW = "activity-window";
  public static final String UID_DETECTOR = "surge-detector";
  public static final String UID_PATTERN = "highlight-pattern";
  public static final String UID_GATE = "highlight-gate";
  public static final String UID_BUDGET = "clip-budget";
  public static final String UID_CLIPS = "clip-creation";
  public static final String UID_OVER_BUDGET_LEDGER = "over-budget-ledger";
  public static final String UID_ACTIVITY_SINK = "activity-sink-";
  public static final String UID_HIGHLIGHT_SINK = "highlight-sink-";
  public static final String UID_KAFKA_SOURCE = "chat-source-kafka";
  public static final String UID_CHAT_TOPIC = "chat-to-kafka";
  public static final String UID_HIGHLIGHT_TOPIC = "highlights-to-kafka";
  public static final String UID_LATE_CHAT = "late-chat";

  /** Chat messages later than their window: counted by {@link LateChat}. */
  static final OutputTag<ChatCount> LATE =
      new OutputTag<>("late-chat", TypeInformation.of(ChatCount.class));

  /**
   * Network buffer timeout of the streams after the window: they carry a few records per channel
   * and window, so flushing them at once costs nothing and keeps the clip request close to the
   * window's close (Flink's default of 100 ms per exchange added about 250 ms over three
   * exchanges). The chat exchange before the window keeps the default, where batching pays.
   */
  static final long LOW_VOLUME_BUFFER_TIMEOUT_MS = 1;

  /**
   * Where the pipeline's outputs go: several activity and highlight sinks are allowed (e.g. MongoDB
   * + print), plus optionally the Kafka chat topic and the Kafka highlights topic, which have uids
   * of their own so that adding or removing one keeps the others' state.
   */
  public record Sinks(
      List<Sink<ChannelActivity>> activity,
      List<Sink<StoredHighlight>> highlights,
      Sink<ChatMessage> chatTopic,
      Sink<StoredHighlight> highlightTopic,
      ClipLedger.Factory clipLedger) {

    public Sinks(List<Sink<ChannelActivity>> activity, List<Sink<StoredHighlight>> highlights) {
      this(activity, highlights, null, null, ClipLedger.inMemory());
    }

    public Sinks withChatTopic(Sink<ChatMessage> sink) {
      return new Sinks(activity, highlights, sink, highlightTopic, clipLedger);
    }

    public Sinks withHighlightTopic(Sink<StoredHighlight> sink) {
      return new Sinks(activity, highlights, chatTopic, sink, clipLedger);
    }

    /** Where clip requests are claimed: durable (MongoDB) wherever clips are public. */
    public Sinks withClipLedger(ClipLedger.Factory ledger) {
      return new Sinks(activity, highlights, chatTopic, highlightTopic, ledger);
    }
  }

  /** The pipeline's streams, for callers that attach more (tests, the backtest's collector). */
  public record Streams(
      DataStream<ChannelActivity> activity,
      DataStream<Surge> surges,
      DataStream<Highlight> highlights,
      DataStream<StoredHighlight> stored) {}

  private HighlightPipeline() {}

  public static Streams build(
      StreamExecutionEnvironment env,
      Source<ChatMessage, ?, ?> source,
      PipelineSettings s,
      ClipCreatorFactory clips,
      Sinks sinks) {
    return build(env, source, UID_SOURCE, s, clips, sinks);
  }

  /**
   * The pipeline with the source under {@code sourceUid}: {@link #UID_SOURCE} for IRC and tests,
   * {@link #UID_KAFKA_SOURCE} for the chat topic (their states differ).
   */
  public static Streams build(
      StreamExecutionEnvironment env,
      Source<ChatMessage, ?, ?> source,
      String sourceUid,
      PipelineSettings s,
      ClipCreatorFactory clips,
      Sinks sinks) {
    DataStream<ChatMessage> chat =
        env.fromSource(
                source,
                ChatWatermarks.forSource(source, s.outOfOrderness(), s.idleness()),
                ChatWatermarks.NAME)
            .uid(sourceUid)
            .name("chat");
    if (sinks.chatTopic() != null) {
      chat.sinkTo(sinks.chatTopic()).uid(UID_CHAT_TOPIC).name("chat to Kafka");
    }

    DataStream<ChatCount> counts =
        chat.transform(
                "count per channel before keyBy",
                TypeInformation.of(ChatCount.class),
                new PartialCounts(s.window().toMillis()))
            .uid(UID_PARTIAL_COUNTS);
    return fromCounts(counts, s, clips, sinks);
  }

  /**
   * The pipeline over a source of counts per channel and window instead of messages (a replay that
   * counts as it reads, {@code ChatCountSource}): the same operators and uids from the window on,
   * with event time from each count's newest message. There is no chat to publish.
   */
  public static Streams buildCounted(
      StreamExecutionEnvironment env,
      Source<ChatCount, ?, ?> source,
      String sourceUid,
      PipelineSettings s,
      ClipCreatorFactory clips,
      Sinks sinks) {
    if (sinks.chatTopic() != null) {
      throw new IllegalArgumentException("a source of counts has no chat to publish");
    }
    DataStream<ChatCount> counts =
        env.fromSource(
                source,
                ChatWatermarks.forCounts(s.outOfOrderness(), s.idleness()),
                ChatWatermarks.NAME)
            .uid(sourceUid)
            .name("chat counts");
    return fromCounts(counts, s, clips, sinks);
  }

  private static Streams fromCounts(
      DataStream<ChatCount> counts, PipelineSettings s, ClipCreatorFactory clips, Sinks sinks) {
    SingleOutputStreamOperator<ChannelActivity> activity =
        counts
            .keyBy(ChatCount::channel)
            .window(TumblingEventTimeWindows.of(s.window()))
            .sideOutputLateData(LATE)
            .aggregate(new MessageCount(), new ToChannelActivity())
            .uid(UID_WINDOW)
            .name("messages per channel per " + s.window().toSeconds() + " s")
            .setBufferTimeout(LOW_VOLUME_BUFFER_TIMEOUT_MS);
    // Late chat is counted and dropped; a late watch-start marker still resets its channel.
    DataStream<ChannelActivity> lateWatchStarts =
        activity
            .getSideOutput(LATE)
            .process(new LateChat(s.window().toMillis()))
            .uid(UID_LATE_CHAT)
            .name("late chat (counted, to the detector)");

    DataStream<Surge> surges =
        activity
            .union(lateWatchStarts)
            .keyBy(ChannelActivity::channel)
            .process(
                new SurgeDetector(
                    s.surgeRule(),
                    s.channelRules(),
                    s.window().toMillis(),
                    s.historyWindows(),
                    s.stateRetention().toMillis()))
            .uid(UID_DETECTOR)
            .name("surge detector (" + s.rule() + " rule)")
            .setBufferTimeout(LOW_VOLUME_BUFFER_TIMEOUT_MS);

    DataStream<Highlight> highlights =
        HighlightPattern.apply(surges, s.confirmSurges(), s.confirmWithin(), s.clipSeconds())
            .uid(UID_PATTERN)
            .name("highlight pattern (CEP)")
            .setBufferTimeout(LOW_VOLUME_BUFFER_TIMEOUT_MS)
            .keyBy(Highlight::channel)
            .process(new HighlightGate(s.cooldown().toMillis(), s.stateRetention().toMillis()))
            .uid(UID_GATE)
            .name("one clip per moment");

    // Highlights over the channel's clip budget are stored without a clip.
    DataStream<Highlight> toClip = highlights;
    DataStream<StoredHighlight> overBudget = null;
    if (s.clipsPerHour() > 0) {
      SingleOutputStreamOperator<Highlight> budgeted =
          highlights
              .keyBy(Highlight::channel)
              .process(new ClipBudget(s.clipsPerHour(), s.clipBudgetPrior()))
              .uid(UID_BUDGET)
              .name("clip budget (" + s.clipsPerHour() + " per channel per hour)");
      toClip = budgeted;
      overBudget = budgeted.getSideOutput(ClipBudget.OVER_BUDGET);
    }

    DataStream<StoredHighlight> stored =
        AsyncDataStream.unorderedWait(
                toClip,
                new ClipCreation(clips, sinks.clipLedger(), s.clipMaxAge().toMillis()),
                s.clipTimeout().toMillis(),
                TimeUnit.MILLISECONDS,
                s.clipCapacity())
            .uid(UID_CLIPS)
            .name("create clips");
    if (overBudget != null) {
      // Through the clip ledger as well: a moment clipped before a restore and over budget when it
      // fires again keeps its clip.
      stored =
          stored.union(
              AsyncDataStream.unorderedWait(
                      overBudget,
                      new OverBudgetLedger(sinks.clipLedger()),
                      s.clipTimeout().toMillis(),
                      TimeUnit.MILLISECONDS,
                      s.clipCapacity())
                  .uid(UID_OVER_BUDGET_LEDGER)
                  .name("over-budget ledger"));
    }

    // The activity writes run in a task of their own: chained to the window, each bulk write
    // (thousands of channels when the windows close) held back the counts on their way to the
    // detector, and so the clips (10,000 channels: from the earliest close of a window to its clip
    // request p50 1.65 s chained, 0.58 s not; bin/benchmark live).
    for (int i = 0; i < sinks.activity().size(); i++) {
      activity
          .sinkTo(sinks.activity().get(i))
          .uid(UID_ACTIVITY_SINK + i)
          .name("store activity")
          .disableChaining();
    }
    for (int i = 0; i < sinks.highlights().size(); i++) {
      stored.sinkTo(sinks.highlights().get(i)).uid(UID_HIGHLIGHT_SINK + i).name("store highlights");
    }
    if (sinks.highlightTopic() != null) {
      stored.sinkTo(sinks.highlightTopic()).uid(UID_HIGHLIGHT_TOPIC).name("highlights to Kafka");
    }
    return new Streams(activity, surges, highlights, stored);
  }

  /**
   * The ingest job: chat into the Kafka chat topic and nothing else, so several detection jobs
   * share one set of chat connections. Its uids are the full pipeline's.
   */
  public static void ingest(
      StreamExecutionEnvironment env, Source<ChatMessage, ?, ?> source, Sink<ChatMessage> topic) {
    env.fromSource(source, WatermarkStrategy.noWatermarks(), "chat")
        .uid(UID_SOURCE)
        .name("chat")
        .sinkTo(topic)
        .uid(UID_CHAT_TOPIC)
        .name("chat to Kafka");
  }
}
