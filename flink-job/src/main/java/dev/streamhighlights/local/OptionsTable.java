package dev.streamhighlights.local;

import dev.streamhighlights.job.config.Accepts;
import dev.streamhighlights.job.config.JobOptions;
import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.description.TextElement;

/** Every option as a Markdown table; the README's table is checked against it. */
final class OptionsTable {

  private OptionsTable() {}

  static String markdown() {
    StringBuilder sb = new StringBuilder("| option | default | accepts | what it does |\n");
    sb.append("|---|---|---|---|\n");
    for (ConfigOption<?> o : JobOptions.all()) {
      String env = JobOptions.envVariable(o);
      sb.append("| `--")
          .append(o.key())
          .append(env != null ? "` (env `" + env + "`)" : "`")
          .append(" | ")
          .append(defaultText(o))
          .append(" | ")
          .append(JobOptions.accepts(o).text())
          .append(" | ")
          .append(description(o))
          .append(" |\n");
    }
    return sb.toString();
  }

  static String defaultText(ConfigOption<?> o) {
    if (!o.hasDefaultValue()) {
      return "(not set)";
    }
    return o.defaultValue() instanceof Duration d
        ? Accepts.format(d)
        : String.valueOf(o.defaultValue());
  }

  static String description(ConfigOption<?> o) {
    StringBuilder sb = new StringBuilder();
    o.description().getBlocks().forEach(b -> sb.append(((TextElement) b).getFormat()));
    return sb.toString();
  }
}
