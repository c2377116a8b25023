package dev.streamhighlights.job.detect;

/**
 * The variance rule (the default until the excess rule): how far the current window stands above
 * the moving average of the previous {@code windows} windows, in units of the history's noise. The
 * noise is the history's variance plus the Poisson variance of the average (at least 1), so a
 * channel with 3 messages per window needs a larger relative jump than one with 300, and a flat
 * history does not make every small wobble a surge. A surge also needs at least {@code minCount}
 * messages.
 */
public final class VarianceAwareRule implements SurgeRule {

  public static final String NAME = "variance";

  private final int windows;
  private final double threshold;
  private final long minCount;

  public VarianceAwareRule(int windows, double threshold, long minCount) {
    this.windows = windows;
    this.threshold = threshold;
    this.minCount = minCount;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int windowsNeeded() {
    return windows;
  }

  @Override
  public SurgeRule tuned(double threshold, int minCount) {
    return new VarianceAwareRule(
        windows,
        Double.isNaN(threshold) ? this.threshold : threshold,
        minCount < 0 ? this.minCount : minCount);
  }

  @Override
  public Evaluation evaluate(long[] previous, int size, long count) {
    int from = size - windows;
    double sum = 0;
    for (int i = from; i < size; i++) {
      sum += previous[i];
    }
    double mean = sum / windows;
    double squares = 0;
    for (int i = from; i < size; i++) {
      double d = previous[i] - mean;
      squares += d * d;
    }
    double variance = squares / windows;
    double noise = Math.sqrt(variance + Math.max(mean, 1.0));
    double score = (count - mean) / noise;
    double derivative = count - previous[size - 1];
    return new Evaluation(count >= minCount && score > threshold, mean, derivative, score);
  }
}
