package dev.streamhighlights.irc.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChannelsFileTest {

  @TempDir Path dir;

  @Test
  void readsOneLoginPerLineSkippingBlanksCommentsAndDuplicates() throws Exception {
    Path file =
        write(
            "# the channels to watch\n"
                + "\n"
                + "Shroud\n"
                + "  xqc   # trailing comment\n"
                + "shroud\n"
                + "\t\n"
                + "pokimane\r\n"
                + "SHROUD\n");
    assertThat(ChannelsFile.read(file)).containsExactly("shroud", "xqc", "pokimane");
  }

  @Test
  void namesTheFileAndLineOfAnInvalidLogin() throws Exception {
    Path file = write("good\n# fine\nnot a login\nalso_good\n");
    assertThatThrownBy(() -> ChannelsFile.read(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(file + " line 3: 'not a login' is not a Twitch login (1-25 of a-z, 0-9, _)");
    Path tooLong = write("a\n" + "x".repeat(26) + "\n");
    assertThatThrownBy(() -> ChannelsFile.read(tooLong)).hasMessageContaining(" line 2: ");
  }

  @Test
  void saysWhenTheFileIsMissingOrEmpty() throws Exception {
    Path missing = dir.resolve("nope.txt");
    assertThatThrownBy(() -> ChannelsFile.read(missing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("cannot read " + missing);
    Path empty = write("# nothing yet\n\n");
    assertThatThrownBy(() -> ChannelsFile.read(empty)).hasMessage(empty + " lists no channels");
  }

  @Test
  void readsAHundredThousandLogins() throws Exception {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 100_000; i++) {
      sb.append("channel_").append(i).append('\n');
    }
    assertThat(ChannelsFile.read(write(sb.toString()))).hasSize(100_000).endsWith("channel_99999");
  }

  private int files;

  private Path write(String content) throws Exception {
    return Files.writeString(dir.resolve("channels-" + files++ + ".txt"), content);
  }
}
