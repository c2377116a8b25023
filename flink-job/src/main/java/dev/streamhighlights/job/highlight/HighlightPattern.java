package dev.streamhighlights.job.highlight;

import dev.streamhighlights.job.model.Highlight;
import dev.streamhighlights.job.model.Surge;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.cep.CEP;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.Collector;

/**
 * Flink CEP per channel: a highlight is {@code surges} surge windows within {@code within} (the
 * surge holds for consecutive windows or repeats shortly after). Each surge is used by at most one
 * match.
 */
public final class HighlightPattern {

  static final String SURGE = "surge";

  private HighlightPattern() {}

  public static Pattern<Surge, Surge> pattern(int surges, Duration within) {
    Pattern<Surge, Surge> p =
        Pattern.<Surge>begin(SURGE, AfterMatchSkipStrategy.skipPastLastEvent()).times(surges);
    return surges > 1 ? p.within(within) : p;
  }

  /** Applies the pattern to each channel's surges (event time). */
  public static SingleOutputStreamOperator<Highlight> apply(
      DataStream<Surge> surges, int confirmSurges, Duration within, int clipSeconds) {
    return CEP.pattern(surges.keyBy(Surge::channel), pattern(confirmSurges, within))
        .inEventTime()
        .process(new ToHighlight(clipSeconds));
  }

  /** The highlight of a match: the last surge of it confirms the moment. */
  static final class ToHighlight extends PatternProcessFunction<Surge, Highlight> {
    private final int clipSeconds;

    ToHighlight(int clipSeconds) {
      this.clipSeconds = clipSeconds;
    }

    @Override
    public void processMatch(
        Map<String, List<Surge>> match, Context ctx, Collector<Highlight> out) {
      List<Surge> surges = match.get(SURGE);
      out.collect(Highlight.confirmedBy(surges.get(surges.size() - 1), surges.size(), clipSeconds));
    }
  }
}
