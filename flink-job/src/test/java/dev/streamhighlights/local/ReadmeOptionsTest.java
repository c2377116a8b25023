package dev.streamhighlights.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ReadmeOptionsTest {

  private static final String START = "<!-- options-table:start -->\n";
  private static final String END = "<!-- options-table:end -->";

  @Test
  void theReadmesOptionTableIsTheOneTheCodeGenerates() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    int from = readme.indexOf(START);
    int to = readme.indexOf(END);
    assertThat(from).as("README marker %s", START.trim()).isNotNegative();
    assertThat(readme.substring(from + START.length(), to))
        .as("README options table; regenerate it with bin/stream-highlights options")
        .isEqualTo(OptionsTable.markdown());
  }
}
