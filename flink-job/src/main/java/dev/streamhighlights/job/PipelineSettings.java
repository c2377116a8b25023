package dev.streamhighlights.job;

import dev.streamhighlights.job.config.Settings;
import dev.streamhighlights.job.detect.ChannelTuning;
import dev.streamhighlights.job.detect.DetectorModel;
import dev.streamhighlights.job.detect.ExcessRule;
import dev.streamhighlights.job.detect.SeedRule;
import dev.streamhighlights.job.detect.SurgeRule;
import dev.streamhighlights.job.detect.VarianceAwareRule;
import dev.streamhighlights.job.highlight.ClipBudget;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;

/**
 * The typed settings the pipeline's operators need, read once from the options by {@link Settings}.
 *
 * @param rule {@link ExcessRule#NAME}, {@link VarianceAwareRule#NAME} or {@link SeedRule#NAME}
 * @param threshold the rule's threshold, NaN for the rule's own (the excess rule's model, 1.5 for
 *     the variance rule)
 * @param clipsPerHour clips per channel in any hour; 0 = no budget
 */
public record PipelineSettings(
    String rule,
    Duration window,
    int historyWindows,
    double threshold,
    int minCount,
    DetectorModel detectorModel,
    int clipsPerHour,
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

  /** The variance rule's threshold when none is given. */
  public static final double VARIANCE_THRESHOLD = 1.5;

  public PipelineSettings {
    channelTuning = Map.copyOf(channelTuning);
    if (!List.of(ExcessRule.NAME, VarianceAwareRule.NAME, SeedRule.NAME).contains(rule)) {
      throw new IllegalArgumentException("unknown rule '" + rule + "'");
    }
    if (!channelTuning.isEmpty() && SeedRule.NAME.equals(rule)) {
      throw new IllegalArgumentException(
          "channel tuning tunes the default rule, not the seed rule");
    }
  }

  /** All defaults. */
  public static PipelineSettings defaults() {
    return Settings.pipeline(new Configuration());
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
    SurgeRule global = surgeRule();
    Map<String, SurgeRule> rules = new HashMap<>();
    channelTuning.forEach((channel, t) -> rules.put(channel, t.rule(global)));
    return rules;
  }

  /** What the clip budget assumes of a new channel: the excess rule's prior, none for others. */
  public ClipBudget.Prior clipBudgetPrior() {
    if (!ExcessRule.NAME.equals(rule) || detectorModel.priorScores().isEmpty()) {
      return null;
    }
    return new ClipBudget.Prior(
        detectorModel.priorRate(),
        detectorModel.priorScores().stream().mapToDouble(Double::doubleValue).toArray());
  }

  public SurgeRule surgeRule() {
    return switch (rule) {
      case SeedRule.NAME -> new SeedRule(historyWindows);
      case VarianceAwareRule.NAME ->
          new VarianceAwareRule(
              historyWindows, Double.isNaN(threshold) ? VARIANCE_THRESHOLD : threshold, minCount);
      default ->
          new ExcessRule(
              Double.isNaN(threshold) ? detectorModel : detectorModel.withThreshold(threshold));
    };
  }

  /**
   * A builder starting from {@link #defaults()}, for tests and tools that change a few settings.
   */
  public static Builder builder() {
    return new Builder(defaults());
  }

  /**
   * Settings built one component at a time. Unless set, {@code clipMaxAge} follows {@code
   * clipSeconds} and {@code window} as it does in {@link #from}.
   */
  public static final class Builder {
    private String rule;
    private Duration window;
    private int historyWindows;
    private double threshold;
    private int minCount;
    private DetectorModel detectorModel;
    private int clipsPerHour;
    private int confirmSurges;
    private Duration confirmWithin;
    private Duration cooldown;
    private Duration stateRetention;
    private Duration outOfOrderness;
    private Duration idleness;
    private int clipSeconds;
    private Duration clipMaxAge;
    private Duration clipTimeout;
    private int clipCapacity;
    private Map<String, ChannelTuning> channelTuning;

    private Builder(PipelineSettings d) {
      rule = d.rule;
      window = d.window;
      historyWindows = d.historyWindows;
      threshold = d.threshold;
      minCount = d.minCount;
      detectorModel = d.detectorModel;
      clipsPerHour = d.clipsPerHour;
      confirmSurges = d.confirmSurges;
      confirmWithin = d.confirmWithin;
      cooldown = d.cooldown;
      stateRetention = d.stateRetention;
      outOfOrderness = d.outOfOrderness;
      idleness = d.idleness;
      clipSeconds = d.clipSeconds;
      clipTimeout = d.clipTimeout;
      clipCapacity = d.clipCapacity;
      channelTuning = d.channelTuning;
    }

    public Builder rule(String rule) {
      this.rule = rule;
      return this;
    }

    public Builder window(Duration window) {
      this.window = window;
      return this;
    }

    public Builder historyWindows(int historyWindows) {
      this.historyWindows = historyWindows;
      return this;
    }

    public Builder threshold(double threshold) {
      this.threshold = threshold;
      return this;
    }

    public Builder minCount(int minCount) {
      this.minCount = minCount;
      return this;
    }

    public Builder detectorModel(DetectorModel detectorModel) {
      this.detectorModel = detectorModel;
      return this;
    }

    public Builder clipsPerHour(int clipsPerHour) {
      this.clipsPerHour = clipsPerHour;
      return this;
    }

    public Builder confirmSurges(int confirmSurges) {
      this.confirmSurges = confirmSurges;
      return this;
    }

    public Builder confirmWithin(Duration confirmWithin) {
      this.confirmWithin = confirmWithin;
      return this;
    }

    public Builder cooldown(Duration cooldown) {
      this.cooldown = cooldown;
      return this;
    }

    public Builder stateRetention(Duration stateRetention) {
      this.stateRetention = stateRetention;
      return this;
    }

    public Builder outOfOrderness(Duration outOfOrderness) {
      this.outOfOrderness = outOfOrderness;
      return this;
    }

    public Builder idleness(Duration idleness) {
      this.idleness = idleness;
      return this;
    }

    public Builder clipSeconds(int clipSeconds) {
      this.clipSeconds = clipSeconds;
      return this;
    }

    public Builder clipMaxAge(Duration clipMaxAge) {
      this.clipMaxAge = clipMaxAge;
      return this;
    }

    public Builder clipTimeout(Duration clipTimeout) {
      this.clipTimeout = clipTimeout;
      return this;
    }

    public Builder clipCapacity(int clipCapacity) {
      this.clipCapacity = clipCapacity;
      return this;
    }

    public Builder channelTuning(Map<String, ChannelTuning> channelTuning) {
      this.channelTuning = channelTuning;
      return this;
    }

    public PipelineSettings build() {
      return new PipelineSettings(
          rule,
          window,
          historyWindows,
          threshold,
          minCount,
          detectorModel,
          clipsPerHour,
          confirmSurges,
          confirmWithin,
          cooldown,
          stateRetention,
          outOfOrderness,
          idleness,
          clipSeconds,
          clipMaxAge != null ? clipMaxAge : defaultClipMaxAge(clipSeconds, window),
          clipTimeout,
          clipCapacity,
          channelTuning);
    }
  }
}
