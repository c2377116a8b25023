package dev.streamhighlights.job.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamhighlights.irc.model.ChatMessage;
import java.io.BufferedReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

  @Test
  void readsCrLfAndCrLineEndingsRowsWithSpacesOrASignAndNamesBeyondAscii() throws Exception {
    Path f =
        write(
            "chat.csv",
            "channel,epoch_millis\r\na,100\r\n b , 200 \rc,+300\n\n\u00e9t\u00e9,400\nx\r\n");
    ChatLog log = ChatLog.read(f);
    assertThat(log.messages())
        .extracting(ChatMessage::channel, ChatMessage::eventTime)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("a", 100L),
            org.assertj.core.groups.Tuple.tuple("b", 200L),
            org.assertj.core.groups.Tuple.tuple("c", 300L),
            org.assertj.core.groups.Tuple.tuple("\u00e9t\u00e9", 400L));
    assertThat(log.malformedSamples()).containsExactly("line 7");
  }

  @Test
  void aRowLongerThanTheReadBufferIsReadWhole() throws Exception {
    String name = "n".repeat(200_000);
    Path f = write("chat.csv", "channel,epoch_millis\n" + name + ",1\nb,2");
    assertThat(ChatLog.read(f).messages())
        .extracting(ChatMessage::channel)
        .containsExactly(name, "b");
  }

  /** Random rows, junk and line endings: the same messages and counts as a line-by-line reader. */
  @ParameterizedTest
  @ValueSource(longs = {3_600_000L, 400L * 86_400_000L})
  void readsWhatALineByLineTextReaderReads(long span) throws Exception {
    Random random = new Random(span);
    String[] channels = {"alpha", "b", "\u00fcber", "\u65e5\u672c", "c_1", "d"};
    String[] junk = {"", "  ", "x", "a,b", "a,1,2", ",5", "a,-3", " e ,  7", "f,+8", "g,0009"};
    String[] ends = {"\n", "\r\n", "\r"};
    StringBuilder text = new StringBuilder("\uFEFFchannel,epoch_millis\n");
    long t0 = 1_600_000_000_000L;
    for (int i = 0; i < 20_000; i++) {
      if (random.nextInt(50) == 0) {
        text.append(junk[random.nextInt(junk.length)]);
      } else {
        text.append(channels[random.nextInt(channels.length)] + i % 300)
            .append(',')
            .append(t0 + (long) (random.nextDouble() * span) / 1000 * 1000);
      }
      text.append(ends[random.nextInt(ends.length)]);
    }
    Path f = write("random.csv", text.toString());

    List<ChatMessage> expected = new ArrayList<>();
    long malformed = 0;
    try (BufferedReader in = Files.newBufferedReader(f)) {
      in.readLine();
      String line;
      while ((line = in.readLine()) != null) {
        ChatMessage m = ChatLog.parseRow(line);
        if (m != null) {
          expected.add(m);
        } else if (!line.isBlank()) {
          malformed++;
        }
      }
    }
    expected.sort(Comparator.comparingLong(ChatMessage::eventTime));

    ChatLog log = ChatLog.read(f);
    assertThat(log.malformedRows()).isEqualTo(malformed).isPositive();
    assertThat(log.chat().sortedByTime()).isTrue();
    assertThat(new ArrayList<>(log.messages())).isEqualTo(expected);
    assertThat(log.chat().channelCount())
        .isEqualTo(expected.stream().map(ChatMessage::channel).distinct().count());
  }

  private Path write(String name, String content) throws Exception {
    Path f = dir.resolve(name);
    Files.writeString(f, content);
    return f;
  }
}
