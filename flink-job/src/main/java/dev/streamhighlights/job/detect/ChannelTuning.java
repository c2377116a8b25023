package dev.streamhighlights.job.detect;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-channel settings of the excess or variance rule, from a CSV file with the header {@code
 * channel,threshold,min_count}; an empty field keeps the global value. For channels whose chat
 * behaves unlike most (a bot that posts on every kill, a community that spams emotes all the time):
 * tune them with a backtest on their recorded chat and list them here.
 *
 * @param threshold the channel's threshold, or NaN for the global one
 * @param minCount the channel's minimum count, or -1 for the global one
 */
public record ChannelTuning(double threshold, int minCount) implements Serializable {

  static final String HEADER = "channel,threshold,min_count";

  /** Reads the file; a malformed line is a configuration error naming the line. */
  public static Map<String, ChannelTuning> read(Path file) {
    Map<String, ChannelTuning> tuning = new LinkedHashMap<>();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String header = r.readLine();
      if (header == null || !header.trim().equals(HEADER)) {
        throw error(file, 1, "the first line must be '" + HEADER + "'");
      }
      String line;
      int n = 1;
      while ((line = r.readLine()) != null) {
        n++;
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split(",", -1);
        if (f.length != 3 || f[0].isBlank()) {
          throw error(file, n, "expected channel,threshold,min_count");
        }
        String channel = f[0].trim();
        double threshold = Double.NaN;
        int minCount = -1;
        try {
          if (!f[1].isBlank()) {
            threshold = Double.parseDouble(f[1].trim());
          }
          if (!f[2].isBlank()) {
            minCount = Integer.parseInt(f[2].trim());
          }
        } catch (NumberFormatException e) {
          throw error(file, n, "threshold must be a number and min_count an integer");
        }
        if (!Double.isNaN(threshold) && !(threshold >= 0 && threshold <= 100)
            || minCount == 0
            || minCount < -1) {
          throw error(file, n, "threshold must be from 0 to 100 and min_count at least 1");
        }
        if (tuning.put(channel, new ChannelTuning(threshold, minCount)) != null) {
          throw error(file, n, "channel '" + channel + "' is listed twice");
        }
      }
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(file + " does not exist");
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
    }
    return tuning;
  }

  /** The rule for this channel: {@code global} with this channel's overrides. */
  public SurgeRule rule(SurgeRule global) {
    return global.tuned(threshold, minCount);
  }

  private static IllegalArgumentException error(Path file, int line, String what) {
    return new IllegalArgumentException(file + " line " + line + ": " + what);
  }
}
