package dev.streamhighlights.job.testing;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * A recorded-looking chat log (channel,epoch_millis CSV): five channels from 5 to 300 messages per
 * 10 s over 40 minutes, overlapping in time, with bursts of 1-3 windows at four times the rate,
 * plus one malformed row. Seeded, so every run writes the same file.
 */
public final class GeneratedChatLog {

  private GeneratedChatLog() {}

  public static Path write(Path file) throws IOException {
    Random random = new Random(7);
    int[] rates = {5, 20, 60, 150, 300};
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("channel,epoch_millis\n");
      for (int c = 0; c < rates.length; c++) {
        String channel = "chan" + c;
        long start = ChatScript.T0 + c * 37_000L;
        int burstLeft = 0;
        for (int window = 0; window < 240; window++) {
          if (burstLeft == 0 && window > 15 && random.nextDouble() < 0.04) {
            burstLeft = 1 + random.nextInt(3);
          }
          double rate = rates[c] * (0.7 + 0.6 * random.nextDouble()) * (burstLeft > 0 ? 4 : 1);
          burstLeft = Math.max(0, burstLeft - 1);
          for (int i = 0; i < Math.round(rate); i++) {
            w.write(channel + "," + (start + window * 10_000L + random.nextInt(10_000)) + "\n");
          }
        }
        if (c == 1) {
          w.write("chan1,not-a-time\n");
        }
      }
    }
    return file;
  }
}
