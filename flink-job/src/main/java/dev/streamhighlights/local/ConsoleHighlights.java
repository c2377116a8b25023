package dev.streamhighlights.local;

import dev.streamhighlights.job.model.Highlight;
import dev.streamhighlights.job.model.StoredHighlight;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;

/** Prints one line per stored highlight on the terminal of a local run. */
final class ConsoleHighlights implements Sink<StoredHighlight> {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

  static String format(StoredHighlight stored) {
    Highlight h = stored.highlight();
    return String.format(
        Locale.ROOT,
        "highlight  %s  %-18s %4d msgs/%ds (avg %.1f, score %.2f, %s rule)  clip: %s",
        TIME.format(Instant.ofEpochMilli(h.detectedAt())),
        h.channel(),
        h.count(),
        (h.windowEnd() - h.windowStart()) / 1000,
        h.movingAverage(),
        h.score(),
        h.rule(),
        stored.clip().url() != null ? stored.clip().url() : stored.clip().status());
  }

  @Override
  @SuppressWarnings("deprecation")
  public SinkWriter<StoredHighlight> createWriter(InitContext context) {
    PrintStream out = System.out;
    return new SinkWriter<>() {
      @Override
      public void write(StoredHighlight element, Context ctx) {
        out.println(format(element));
      }

      @Override
      public void flush(boolean endOfInput) {
        out.flush();
      }

      @Override
      public void close() {}
    };
  }
}
