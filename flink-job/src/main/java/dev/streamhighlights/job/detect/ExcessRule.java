package dev.streamhighlights.job.detect;

/**
 * The default rule, fitted on labelled chat (see {@code tools/detector.py} and docs/evaluation.md):
 * how many messages the window holds above the channel's baseline, in noise units that grow more
 * slowly than the count.
 *
 * <ul>
 *   <li>baseline {@code m}: the mean of the channel's previous windows, the last {@code
 *       baselineWindows} (5 minutes) at most;
 *   <li>excess {@code = (count - m) / (m + 1)^exponent}: the exponent 0.7 lies between the Poisson
 *       noise of a quiet channel (0.5) and the relative swings of a busy one (1);
 *   <li>surge: excess above the threshold (the quiet threshold while the baseline is below {@code
 *       quietLevel}: a quiet channel's count is mostly noise and a few people talking), plus a
 *       warm-up while the baseline has fewer than {@code baselineWindows} windows (an average of
 *       few windows is uncertain, so a channel just joined needs a larger rise), and at least
 *       {@code minPeak} messages in one second of the window (many people at once is a reaction; a
 *       conversation is not);
 *   <li>score: {@code 1 / (1 + e^-(a * excess + b * ln(m + 1) + c))}, the fitted probability that a
 *       60 s clip requested now shows a labelled highlight. It ranks moments within a channel and,
 *       being a probability, across channels.
 * </ul>
 *
 * Optionally a channel's tuning sets a fewest count ({@code minCount}, 1 = none).
 */
public final class ExcessRule implements SurgeRule {

  public static final String NAME = "excess";

  private final DetectorModel model;
  private final long minCount;

  public ExcessRule(DetectorModel model) {
    this(model, 1);
  }

  public ExcessRule(DetectorModel model, long minCount) {
    this.model = model;
    this.minCount = minCount;
  }

  public DetectorModel model() {
    return model;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int windowsNeeded() {
    return model.minWindows();
  }

  @Override
  public int historyWindows() {
    return model.baselineWindows();
  }

  @Override
  public Evaluation evaluate(long[] previous, int size, long count) {
    return evaluate(previous, size, count, -1);
  }

  @Override
  public Evaluation evaluate(long[] previous, int size, long count, int peak) {
    int n = Math.min(size, model.baselineWindows());
    double sum = 0;
    for (int i = size - n; i < size; i++) {
      sum += previous[i];
    }
    double mean = sum / n;
    double excess = (count - mean) / Math.pow(mean + 1, model.exponent());
    double bar =
        (mean < model.quietLevel() ? model.quietThreshold() : model.threshold())
            + model.warmup() * (model.baselineWindows() - n) / (double) model.baselineWindows();
    boolean peaked = peak < 0 || peak >= model.minPeak();
    double z =
        model.weightExcess() * excess
            + model.weightLevel() * Math.log(mean + 1)
            + model.weightBias();
    double score = 1 / (1 + Math.exp(-z));
    double derivative = count - previous[size - 1];
    return new Evaluation(count >= minCount && excess > bar && peaked, mean, derivative, score);
  }

  @Override
  public SurgeRule tuned(double threshold, int minCount) {
    return new ExcessRule(
        Double.isNaN(threshold) ? model : model.withThreshold(threshold),
        minCount < 0 ? this.minCount : minCount);
  }
}
