package dev.streamhighlights.job.highlight;

import dev.streamhighlights.job.model.ClipResult;
import dev.streamhighlights.job.model.ClipStatus;
import dev.streamhighlights.job.model.Highlight;
import dev.streamhighlights.job.model.StoredHighlight;
import java.util.Arrays;
import java.util.Locale;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * A channel's clips per hour, spent on its best moments. The decision is online (a better moment
 * may come later), so each highlight is compared with the channel's recent ones: with {@code r}
 * highlights in the last hour and a budget of {@code n}, a highlight is clipped when its score is
 * in the top {@code n / r} of the channel's recent scores, and never when {@code n} clips were made
 * in the last hour. Highlights not clipped go to {@link #OVER_BUDGET} as stored highlights with
 * status {@code over-budget}: every moment is kept, only clips are rationed.
 *
 * <p>A channel seen for less than an hour says little about its hour. With a {@link Prior} (the
 * excess rule's, whose scores are probabilities comparable across channels) the unseen rest of the
 * hour is assumed to bring the prior's rate of highlights, and a channel with few highlights yet is
 * compared with the prior's scores as well as its own, so the first highlights of a stream do not
 * spend the budget just by coming first.
 */
public class ClipBudget extends KeyedProcessFunction<String, Highlight, Highlight> {

  /** Name of the keyed state; part of savepoints, never rename. */
  public static final String STATE_NAME = "clip-budget";

  /** Highlights not clipped, already stored with their status. */
  public static final OutputTag<StoredHighlight> OVER_BUDGET =
      new OutputTag<>("over-budget", TypeInformation.of(StoredHighlight.class));

  /** Recent scores kept per channel: enough for a quantile, bounded whatever the rate. */
  static final int RECENT = 32;

  static final long HOUR_MS = 3_600_000L;

  /** A channel's recent highlights and clips; a POJO so it can evolve. */
  public static class State {
    /** Scores and times of the channel's last {@link #RECENT} highlights, a ring. */
    public double[] scores = new double[RECENT];

    public long[] times = new long[RECENT];
    public int size;
    public int next;

    /** When the clips of the last hour were granted, a ring of the budget's size. */
    public long[] clips = new long[0];

    public int clipsNext;

    /** The first highlight this state remembers (event time ms), for the rate of a new channel. */
    public long since;

    public State() {}
  }

  /**
   * What a channel is assumed to be like before it has shown an hour of its own.
   *
   * @param perHour highlights an hour
   * @param scores their scores, evenly spaced quantiles
   */
  public record Prior(double perHour, double[] scores) implements java.io.Serializable {}

  private final int clipsPerHour;
  private final Prior prior;

  private transient ValueState<State> state;
  private transient Counter overBudget;

  public ClipBudget(int clipsPerHour) {
    this(clipsPerHour, null);
  }

  /** A budget that assumes {@code prior} (null: nothing) of channels seen for less than an hour. */
  public ClipBudget(int clipsPerHour, Prior prior) {
    if (clipsPerHour < 1) {
      throw new IllegalArgumentException("clips per hour must be at least 1");
    }
    this.clipsPerHour = clipsPerHour;
    this.prior = prior;
  }

  @Override
  public void open(OpenContext openContext) {
    state = getRuntimeContext().getState(new ValueStateDescriptor<>(STATE_NAME, State.class));
    overBudget = getRuntimeContext().getMetricGroup().counter("highlightsOverBudget");
  }

  @Override
  public void processElement(Highlight h, Context ctx, Collector<Highlight> out) throws Exception {
    State s = state.value();
    if (s != null && ctx.timestamp() != null && newest(s) + HOUR_MS < ctx.timestamp()) {
      // Forgotten, as the timer forgets it an hour after its last highlight, whether or not event
      // time reached the timer before this highlight came (a backlog or a replay moves event time
      // in large steps): the same highlights get the same verdicts however event time moves.
      s = null;
    }
    if (s == null) {
      s = new State();
      s.since = h.detectedAt();
    }
    if (s.clips.length != clipsPerHour) {
      s.clips = Arrays.copyOf(s.clips, clipsPerHour); // the budget changed since the savepoint
      s.clipsNext %= clipsPerHour;
    }
    long t = h.detectedAt();
    remember(s, h.score(), t);
    String why = verdict(s, h.score(), t);
    if (why == null) {
      s.clips[s.clipsNext] = t;
      s.clipsNext = (s.clipsNext + 1) % clipsPerHour;
      out.collect(h);
    } else {
      overBudget.inc();
      ctx.output(
          OVER_BUDGET, new StoredHighlight(h, ClipResult.withoutClip(ClipStatus.OVER_BUDGET, why)));
    }
    state.update(s);
    // Nothing older than an hour matters: drop a channel's budget an hour after its last highlight.
    ctx.timerService().registerEventTimeTimer(t + HOUR_MS);
  }

  /** Null when the highlight gets a clip, else why not. */
  String verdict(State s, double score, long t) {
    int clipsLastHour = 0;
    for (long c : s.clips) {
      if (c > 0 && t - c < HOUR_MS) {
        clipsLastHour++;
      }
    }
    if (clipsLastHour >= clipsPerHour) {
      return String.format(
          Locale.ROOT, "the channel had its %d clips in the last hour", clipsPerHour);
    }
    double perHour = highlightsPerHour(s, t, prior);
    if (perHour <= clipsPerHour) {
      return null;
    }
    double bar = quantile(s, 1.0 - clipsPerHour / perHour, prior);
    if (score >= bar) {
      return null;
    }
    return String.format(
        Locale.ROOT,
        "score %.3f below %.3f, the channel's top %d of about %.0f highlights an hour",
        score,
        bar,
        clipsPerHour,
        perHour);
  }

  private static void remember(State s, double score, long t) {
    s.scores[s.next] = score;
    s.times[s.next] = t;
    s.next = (s.next + 1) % RECENT;
    s.size = Math.min(s.size + 1, RECENT);
  }

  /**
   * The channel's highlights an hour, this one included: counted over the last hour, or, when the
   * channel is known for less than an hour or more highlights came than are remembered, its count
   * so far plus the prior's rate for the rest of the hour; without a prior extrapolated from the
   * shorter span (at least ten minutes of it, so a first burst does not look like hundreds an
   * hour).
   */
  static double highlightsPerHour(State s, long t, Prior prior) {
    int inHour = 0;
    long oldest = t;
    for (int i = 0; i < s.size; i++) {
      if (t - s.times[i] < HOUR_MS) {
        inHour++;
        oldest = Math.min(oldest, s.times[i]);
      }
    }
    long span = inHour == RECENT ? t - oldest : t - s.since;
    if (span >= HOUR_MS) {
      return inHour;
    }
    if (prior != null && inHour < RECENT) {
      return inHour + prior.perHour() * (HOUR_MS - span) / HOUR_MS;
    }
    return inHour * (double) HOUR_MS / Math.max(span, HOUR_MS / 6);
  }

  /**
   * The {@code q} quantile (nearest rank) of the remembered scores, topped up with evenly spaced
   * prior scores while fewer are remembered than the prior has.
   */
  static double quantile(State s, double q, Prior prior) {
    int missing = prior == null ? 0 : Math.max(0, prior.scores().length - s.size);
    double[] sorted = Arrays.copyOf(s.scores, s.size + missing);
    for (int i = 0; i < missing; i++) {
      sorted[s.size + i] = prior.scores()[(int) ((i + 0.5) * prior.scores().length / missing)];
    }
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Highlight> out)
      throws Exception {
    State s = state.value();
    if (s == null) {
      return;
    }
    if (newest(s) + HOUR_MS <= timestamp) {
      state.clear();
    }
  }

  /** The channel's last highlight (event time ms). */
  private static long newest(State s) {
    long newest = 0;
    for (int i = 0; i < s.size; i++) {
      newest = Math.max(newest, s.times[i]);
    }
    return newest;
  }
}
