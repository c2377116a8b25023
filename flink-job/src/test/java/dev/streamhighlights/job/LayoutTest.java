package dev.streamhighlights.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The folders show the architecture: each package imports only what its role needs. */
class LayoutTest {

  private static final Path MAIN = Path.of("src/main/java/dev/streamhighlights");
  private static final Pattern IMPORT =
      Pattern.compile("^import (static )?([\\w.]+)", Pattern.MULTILINE);

  @Test
  void theJobNeverImportsTheLocalToolsTheSimulatorOrTheEmbeddedServer() throws IOException {
    assertThat(imports(MAIN.resolve("job")))
        .noneMatch(i -> i.startsWith("dev.streamhighlights.local."))
        .noneMatch(i -> i.startsWith("dev.streamhighlights.simulator."))
        .noneMatch(i -> i.startsWith("de.bwaldvogel."));
  }

  @Test
  void onlyTheEntriesKnowTheOptions() throws IOException {
    for (String domain :
        List.of(
            "window",
            "backtest",
            "clip",
            "detect",
            "eventtime",
            "highlight",
            "kafka",
            "model",
            "mongo",
            "twitch")) {
      assertThat(imports(MAIN.resolve("job").resolve(domain)))
          .as("imports of job/%s", domain)
          .noneMatch(i -> i.startsWith("dev.streamhighlights.job.config."));
    }
  }

  private static List<String> imports(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(f -> f.toString().endsWith(".java"))
          .flatMap(
              f -> {
                try {
                  Matcher m = IMPORT.matcher(Files.readString(f));
                  return m.results().map(r -> r.group(2) + " (" + f.getFileName() + ")");
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              })
          .toList();
    }
  }
}
