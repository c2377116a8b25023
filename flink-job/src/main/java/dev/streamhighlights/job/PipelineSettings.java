package dev.streamhighlights.job;

import dev.streamhighlights.job.config.Settings;
import dev.streamhighlights.job.detect.ChannelTuning;
import dev.streamhighlights.job.detect.SeedRule;
import dev.streamhighlights.job.detect.SurgeRule;
import dev.streamhighlights.job.detect.VarianceAwareRule;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.configuration.Configuration;

/**
 * The typed settings the pipeline's operators need, read once from the options by {@link Settings}.
 */
public record PipelineSettings(
    String rule,
    Duration window,
    int historyWindows,
    double threshold,
    int minCount,
    int confirmSurges,
    Duration confirmWithin,
    Duration cooldown,
    Duration stateRetention,
    Duration outOfOrderness,
    Duration idleness,
    int clipSeconds,
    Duration clipMaxAge,
    Duration clipTimeout,
    int clipCapacity,
    Map<String, ChannelTuning> channelTuning) {

  public PipelineSettings {
    channelTuning = Map.copyOf(channelTuning);
    if (!channelTuning.isEmpty() && SeedRule.NAME.equals(rule)) {
      throw new IllegalArgumentException(
          "channel tuning tunes the default rule, not the seed rule");
    }
  }

  /** All defaults. */
  public static PipelineSettings defaults() {
    return Settings.pipeline(new Configuration());
  }

  public PipelineSettings withRule(String rule) {
    return new PipelineSettings(
        rule,
        window,
        historyWindows,
        threshold,
        minCount,
        confirmSurges,
        confirmWithin,
        cooldown,
        stateRetention,
        outOfOrderness,
        idleness,
        clipSeconds,
        clipMaxAge,
        clipTimeout,
        clipCapacity,
        channelTuning);
  }

  /**
   * The oldest a moment may be when its clip is requested and still be in the clip: a clip covers
   * the {@code clipSeconds} before the request, the moment's window began {@code window} before
   * {@code detectedAt}. At least 5 s, so short clips are not all stale.
   */
  public static Duration defaultClipMaxAge(int clipSeconds, Duration window) {
    Duration d = Duration.ofSeconds(clipSeconds).minus(window);
    return d.compareTo(Duration.ofSeconds(5)) < 0 ? Duration.ofSeconds(5) : d;
  }

  /** The rules of the channels tuned with {@code --channel-tuning}. */
  public Map<String, SurgeRule> channelRules() {
    Map<String, SurgeRule> rules = new HashMap<>();
    channelTuning.forEach(
        (channel, t) -> rules.put(channel, t.rule(historyWindows, threshold, minCount)));
    return rules;
  }

  public SurgeRule surgeRule() {
    return SeedRule.NAME.equals(rule)
        ? new SeedRule(historyWindows)
        : new VarianceAwareRule(historyWindows, threshold, minCount);
  }
}
