package dev.streamhighlights.job.backtest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamhighlights.irc.model.ChatMessage;
import dev.streamhighlights.job.HighlightPipeline;
import dev.streamhighlights.job.PipelineSettings;
import dev.streamhighlights.job.clip.OfflineClipCreator;
import dev.streamhighlights.job.model.ChannelActivity;
import dev.streamhighlights.job.model.HighlightSchema;
import dev.streamhighlights.job.model.StoredHighlight;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Runs the production topology over a recorded chat log, bounded, and writes one JSON line per
 * highlight, sorted by channel and time so the same input always gives the same file.
 */
public final class Backtest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What a backtest found, for the report; {@code jobMillis} is the Flink job's own run time (from
   * its start on the cluster to its end: without starting the local cluster).
   */
  public record Result(
      List<StoredHighlight> highlights,
      long messages,
      long malformedRows,
      List<String> malformedSamples,
      int channels,
      double chatHours,
      long jobMillis) {

    public double highlightsPerHour() {
      return chatHours > 0 ? highlights.size() / chatHours : 0;
    }
  }

  private Backtest() {}

  /**
   * Replays {@code log} through the pipeline on {@code env}; extra activity and highlight sinks
   * (e.g. MongoDB) are attached as well. The log is counted per channel and window as it is read
   * ({@link ChatCountSource}): the log is sorted, so no message is late and the counts are those
   * the message by message pipeline makes. The log stays in this JVM ({@link LocalInputs}), so
   * {@code env} must be a local one, as for the results.
   */
  public static Result run(
      StreamExecutionEnvironment env,
      ChatLog log,
      PipelineSettings settings,
      List<Sink<ChannelActivity>> activitySinks,
      List<Sink<StoredHighlight>> highlightSinks)
      throws Exception {
    Result found;
    try (LocalInputs.Shared<ChatColumns> chat = LocalInputs.share(log.chat())) {
      found =
          execute(
              env,
              HighlightPipeline.buildCounted(
                  env,
                  ChatCountSource.local(chat, settings.window().toMillis()),
                  HighlightPipeline.UID_SOURCE,
                  settings,
                  OfflineClipCreator.factory(),
                  new HighlightPipeline.Sinks(activitySinks, highlightSinks)));
    }
    return new Result(
        found.highlights(),
        log.chat().size(),
        log.malformedRows(),
        log.malformedSamples(),
        log.chat().channelCount(),
        log.chat().chatHours(),
        found.jobMillis());
  }

  /**
   * Runs the pipeline over a bounded {@code source} (e.g. the Kafka chat topic up to an offset).
   * Messages, channels and hours are read from the 10 s counts, so messages too late for their
   * window are not in them.
   */
  public static Result run(
      StreamExecutionEnvironment env,
      Source<ChatMessage, ?, ?> source,
      String sourceUid,
      PipelineSettings settings,
      List<Sink<ChannelActivity>> activitySinks,
      List<Sink<StoredHighlight>> highlightSinks)
      throws Exception {
    return execute(
        env,
        HighlightPipeline.build(
            env,
            source,
            sourceUid,
            settings,
            OfflineClipCreator.factory(),
            new HighlightPipeline.Sinks(activitySinks, highlightSinks)));
  }

  private static Result execute(StreamExecutionEnvironment env, HighlightPipeline.Streams streams)
      throws Exception {
    LocalResults.ListHandle<StoredHighlight> highlights = LocalResults.list();
    // The counts are summed as they come, not kept: a day of 10,000 channels is 86 million.
    ActivitySummary summary = new ActivitySummary();
    LocalResults.Handle<ChannelActivity> activity = LocalResults.to(summary::add);
    streams.stored().sinkTo(highlights.sink()).uid("backtest-highlights").name("backtest results");
    streams.activity().sinkTo(activity.sink()).uid("backtest-activity").name("backtest counts");
    JobExecutionResult job = env.execute("stream-highlights backtest");
    List<StoredHighlight> found = highlights.finish();
    activity.finish();
    found.sort(
        Comparator.comparing((StoredHighlight s) -> s.highlight().channel())
            .thenComparingLong(s -> s.highlight().detectedAt()));
    return new Result(
        List.copyOf(found),
        summary.messages,
        0,
        List.of(),
        summary.spans.size(),
        summary.hours(),
        job.getNetRuntime());
  }

  /** Messages, channels and hours of chat from the 10 s counts, summed as they arrive. */
  private static final class ActivitySummary {
    private final Map<String, long[]> spans = new HashMap<>();
    private long messages;

    synchronized void add(ChannelActivity a) {
      messages += a.count();
      long[] span =
          spans.computeIfAbsent(a.channel(), c -> new long[] {a.windowStart(), a.windowEnd()});
      span[0] = Math.min(span[0], a.windowStart());
      span[1] = Math.max(span[1], a.windowEnd());
    }

    synchronized double hours() {
      return spans.values().stream().mapToLong(x -> x[1] - x[0]).sum() / 3_600_000.0;
    }
  }

  /** Writes the highlights as JSON lines. */
  public static void write(List<StoredHighlight> highlights, Path out) {
    try {
      if (out.toAbsolutePath().getParent() != null) {
        Files.createDirectories(out.toAbsolutePath().getParent());
      }
      try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
        for (StoredHighlight s : highlights) {
          w.write(JSON.writeValueAsString(toJson(s)));
          w.newLine();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
    }
  }

  /** A line as {@link HighlightSchema#BACKTEST_LINE} maps it, times in epoch ms. */
  static Map<String, Object> toJson(StoredHighlight s) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (HighlightSchema.Field<StoredHighlight> f : HighlightSchema.BACKTEST_LINE) {
      Object v = f.valueOf(s);
      // Three decimals are plenty to compare runs, and keep the files readable.
      m.put(f.name(), f.type() == HighlightSchema.Type.DOUBLE ? round((Double) v) : v);
    }
    return m;
  }

  private static double round(double v) {
    return Math.round(v * 1000.0) / 1000.0;
  }
}
