package dev.streamhighlights.job.detect;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * The numbers of the {@link ExcessRule}: its structure (baseline length, exponent) and what {@code
 * tools/fit-detector.py} fitted on labelled chat (threshold, warm-up, score weights). The job ships
 * one ({@value #RESOURCE}); {@code --detector-model} reads another from a properties file with the
 * same keys.
 *
 * @param baselineWindows how many previous windows the baseline averages at most
 * @param minWindows fewest previous windows before a window is judged
 * @param exponent the noise unit is {@code (baseline + 1) ^ exponent}
 * @param threshold excess a window needs to be a surge, once the baseline is full
 * @param warmup extra excess needed with an empty baseline, shrinking linearly to none when full
 * @param weightExcess score weight of the excess
 * @param weightLevel score weight of {@code ln(baseline + 1)}
 * @param weightBias score bias
 * @param priorRate highlights an hour the clip budget assumes of a channel it has not seen for an
 *     hour yet
 * @param priorScores scores the clip budget assumes of a channel with few highlights yet, as evenly
 *     spaced quantiles of the fitted highlights' scores
 * @param quietLevel a baseline below this (messages a window) is a quiet channel's (0: none is)
 * @param quietThreshold the threshold of a quiet channel
 * @param minPeak fewest messages in one second of a surge window (1: no such need)
 */
public record DetectorModel(
    int baselineWindows,
    int minWindows,
    double exponent,
    double threshold,
    double warmup,
    double weightExcess,
    double weightLevel,
    double weightBias,
    double priorRate,
    List<Double> priorScores,
    double quietLevel,
    double quietThreshold,
    int minPeak)
    implements Serializable {

  /** The model the job ships, next to this class. */
  public static final String RESOURCE = "detector-model.properties";

  private static final Set<String> KEYS =
      Set.of(
          "baseline-windows",
          "min-windows",
          "exponent",
          "threshold",
          "warmup",
          "weight.excess",
          "weight.level",
          "weight.bias",
          "prior.rate",
          "prior.scores",
          "quiet-level",
          "quiet-threshold",
          "min-peak");

  public DetectorModel {
    if (minWindows < 1 || baselineWindows < minWindows || baselineWindows > 360) {
      throw new IllegalArgumentException(
          "min-windows must be at least 1 and baseline-windows from min-windows to 360");
    }
    if (!(exponent >= 0 && exponent <= 1)) {
      throw new IllegalArgumentException("exponent must be from 0 to 1");
    }
    if (!(threshold >= 0 && threshold <= 100) || !(warmup >= 0 && warmup <= 100)) {
      throw new IllegalArgumentException("threshold and warmup must be from 0 to 100");
    }
    if (!(quietLevel >= 0 && quietLevel <= 1e6)
        || !(quietThreshold >= 0 && quietThreshold <= 100)) {
      throw new IllegalArgumentException(
          "quiet-level must be from 0 to 1000000 and quiet-threshold from 0 to 100");
    }
    if (minPeak < 1 || minPeak > 1_000_000) {
      throw new IllegalArgumentException("min-peak must be from 1 to 1000000");
    }
    if (!Double.isFinite(weightExcess)
        || !Double.isFinite(weightLevel)
        || !Double.isFinite(weightBias)) {
      throw new IllegalArgumentException("the weights must be numbers");
    }
    if (!(priorRate >= 0 && priorRate <= 3600)) {
      throw new IllegalArgumentException("prior.rate must be from 0 to 3600");
    }
    priorScores = List.copyOf(priorScores);
    for (double x : priorScores) {
      if (!(x >= 0 && x <= 1)) {
        throw new IllegalArgumentException("prior.scores must be probabilities");
      }
    }
  }

  /**
   * A model without a quiet threshold or a peak (as fitted before they were added): every channel
   * has the one threshold, and no peak is asked for.
   */
  public DetectorModel(
      int baselineWindows,
      int minWindows,
      double exponent,
      double threshold,
      double warmup,
      double weightExcess,
      double weightLevel,
      double weightBias,
      double priorRate,
      List<Double> priorScores) {
    this(
        baselineWindows,
        minWindows,
        exponent,
        threshold,
        warmup,
        weightExcess,
        weightLevel,
        weightBias,
        priorRate,
        priorScores,
        0,
        threshold,
        1);
  }

  /** The shipped model. */
  public static DetectorModel shipped() {
    try (InputStream in = DetectorModel.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the classpath");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), RESOURCE);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + RESOURCE, e);
    }
  }

  /**
   * A model from a properties file; a missing, unknown or malformed key names the file. A file
   * without {@code quiet-level}, {@code quiet-threshold} and {@code min-peak} (fitted before they
   * were added) has one threshold for every channel and asks for no peak.
   */
  public static DetectorModel read(Path file) {
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(file + " does not exist");
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
    }
  }

  static DetectorModel parse(String text, String source) {
    Properties p = new Properties();
    try (Reader r = new java.io.StringReader(text)) {
      p.load(r);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + source + ": " + e.getMessage());
    }
    Set<String> unknown = new TreeSet<>(p.stringPropertyNames());
    unknown.removeAll(KEYS);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(source + ": unknown keys " + unknown);
    }
    try {
      int baselineWindows = Integer.parseInt(value(p, "baseline-windows", source));
      int minWindows = Integer.parseInt(value(p, "min-windows", source));
      double exponent = Double.parseDouble(value(p, "exponent", source));
      double threshold = Double.parseDouble(value(p, "threshold", source));
      return new DetectorModel(
          baselineWindows,
          minWindows,
          exponent,
          threshold,
          Double.parseDouble(value(p, "warmup", source)),
          Double.parseDouble(value(p, "weight.excess", source)),
          Double.parseDouble(value(p, "weight.level", source)),
          Double.parseDouble(value(p, "weight.bias", source)),
          Double.parseDouble(value(p, "prior.rate", source)),
          scores(value(p, "prior.scores", source)),
          Double.parseDouble(p.getProperty("quiet-level", "0").trim()),
          Double.parseDouble(p.getProperty("quiet-threshold", String.valueOf(threshold)).trim()),
          Integer.parseInt(p.getProperty("min-peak", "1").trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(source + ": not a number (" + e.getMessage() + ")");
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(source + ": " + e.getMessage());
    }
  }

  private static List<Double> scores(String list) {
    List<Double> scores = new ArrayList<>();
    for (String x : list.split(",")) {
      if (!x.isBlank()) {
        scores.add(Double.parseDouble(x.trim()));
      }
    }
    return scores;
  }

  private static String value(Properties p, String key, String source) {
    String v = p.getProperty(key);
    if (v == null) {
      throw new IllegalArgumentException("'" + key + "' is missing");
    }
    return v.trim();
  }

  /**
   * This model with another threshold ({@code --threshold}, a channel's tuning); the quiet
   * channels' threshold moves by as much, so quiet channels keep their distance.
   */
  public DetectorModel withThreshold(double t) {
    return new DetectorModel(
        baselineWindows,
        minWindows,
        exponent,
        t,
        warmup,
        weightExcess,
        weightLevel,
        weightBias,
        priorRate,
        priorScores,
        quietLevel,
        Math.min(100, Math.max(0, quietThreshold + t - threshold)),
        minPeak);
  }
}
