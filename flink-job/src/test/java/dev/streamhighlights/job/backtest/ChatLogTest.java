package dev.streamhighlights.job.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamhighlights.irc.model.ChatMessage;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChatLogTest {

  @TempDir Path dir;

  @Test
  void sortsRowsByTimeAcrossChannels() throws Exception {
    Path f = write("chat.csv", "channel,epoch_millis\nb,300\nb,400\na,100\na,350\n");
    assertThat(ChatLog.read(f).messages())
        .extracting(ChatMessage::channel, ChatMessage::eventTime)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("a", 100L),
            org.assertj.core.groups.Tuple.tuple("b", 300L),
            org.assertj.core.groups.Tuple.tuple("a", 350L),
            org.assertj.core.groups.Tuple.tuple("b", 400L));
  }

  @Test
  void countsAndSkipsMalformedRows() throws Exception {
    Path f =
        write(
            "chat.csv",
            "channel,epoch_millis\na,100\na,notanumber\n,200\na,1,2\njustonefield\na,-5\n\na,300\n");
    ChatLog log = ChatLog.read(f);
    assertThat(log.messages()).hasSize(2);
    assertThat(log.malformedRows()).isEqualTo(5);
    assertThat(log.malformedSamples())
        .containsExactly("line 3", "line 4", "line 5", "line 6", "line 7");
  }

  @Test
  void skipsAndCountsRowsFromTheFutureWithTheReason() throws Exception {
    long now = System.currentTimeMillis();
    Path f =
        write(
            "chat.csv",
            "channel,epoch_millis\na,100\na,170000000012300000\nb,"
                + (now + 3_600_000)
                + "\nb,"
                + (now - 1_000)
                + "\n");
    ChatLog log = ChatLog.read(f);
    assertThat(log.messages())
        .extracting(ChatMessage::eventTime)
        .containsExactly(100L, now - 1_000);
    assertThat(log.malformedRows()).isEqualTo(2);
    assertThat(log.malformedSamples())
        .containsExactly("line 3 (time in the future)", "line 4 (time in the future)");
  }

  @Test
  void readsGzipWhenTheNameEndsInGz() throws Exception {
    Path f = dir.resolve("chat.csv.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f))) {
      out.write("channel,epoch_millis\na,1\na,2\n".getBytes(StandardCharsets.UTF_8));
    }
    assertThat(ChatLog.read(f).messages()).hasSize(2);
  }

  @Test
  void rejectsAFileWithoutTheExpectedHeader() throws Exception {
    Path f = write("chat.csv", "time,channel\n1,a\n");
    assertThatThrownBy(() -> ChatLog.read(f))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must start with the header 'channel,epoch_millis'");
  }

  @Test
  void saysAnEmptyFileIsEmpty() throws Exception {
    Path f = write("empty.csv", "");
    assertThatThrownBy(() -> ChatLog.read(f))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageEndingWith(
            "empty.csv is empty: a chat log starts with the header" + " 'channel,epoch_millis'");
  }

  @Test
  void namesAMissingFile() {
    assertThatThrownBy(() -> ChatLog.read(dir.resolve("nope.csv")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageEndingWith("nope.csv does not exist");
  }

  private Path write(String name, String content) throws Exception {
    Path f = dir.resolve(name);
    Files.writeString(f, content);
    return f;
  }
}
