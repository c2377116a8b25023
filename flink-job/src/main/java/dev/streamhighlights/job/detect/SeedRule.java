package dev.streamhighlights.job.detect;

/**
 * The 2018 system's rule, exactly: the moving average covers the last {@code windows} windows
 * including the current one, the derivative is the change against the previous window, and a window
 * is a surge when the derivative is above the moving average.
 */
public final class SeedRule implements SurgeRule {

  public static final String NAME = "seed";

  private final int windows;

  public SeedRule(int windows) {
    this.windows = windows;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int windowsNeeded() {
    return windows - 1;
  }

  @Override
  public int historyWindows() {
    return windows;
  }

  @Override
  public Evaluation evaluate(long[] previous, int size, long count) {
    double sum = count;
    for (int i = size - (windows - 1); i < size; i++) {
      sum += previous[i];
    }
    double movingAverage = sum / windows;
    double derivative = count - previous[size - 1];
    return new Evaluation(
        derivative > movingAverage, movingAverage, derivative, derivative - movingAverage);
  }
}
