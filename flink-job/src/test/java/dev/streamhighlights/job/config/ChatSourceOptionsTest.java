package dev.streamhighlights.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamhighlights.irc.source.IrcSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChatSourceOptionsTest {

  @TempDir Path dir;

  @Test
  void topTakesACountUpToTenThousandOrAll() {
    assertThat(parse("--top", "40").get(JobOptions.TOP)).isEqualTo("40");
    assertThat(parse("--top", "all").get(JobOptions.TOP)).isEqualTo("all");
    String accepts = "--top accepts an integer from 1 to 10000, or all, not ";
    assertError(accepts + "'0'", "--top", "0");
    assertError(accepts + "'10001'", "--top", "10001");
    assertError(accepts + "'every'", "--top", "every");
  }

  @Test
  void allLiveStreamsAreListedAtMostEveryTwoMinutes() {
    assertSourceError(
        "--discovery-interval with --top all must be at least 2m (one listing of every live"
            + " stream takes more than a minute), not 1m",
        "--top",
        "all",
        "--discovery-interval",
        "1m");
  }

  @Test
  void takesExactlyOneWayOfNamingTheChannels() throws Exception {
    String exactlyOne =
        "give the channels to watch with exactly one of --channels a,b,c, --channels-file FILE"
            + " or --top N|all";
    assertSourceError(exactlyOne);
    assertSourceError(exactlyOne + " (not several)", "--channels", "a", "--top", "5");
    Path file = Files.writeString(dir.resolve("c.txt"), "a\n");
    assertSourceError(
        exactlyOne + " (not several)", "--channels", "a", "--channels-file", file.toString());
    assertSourceError(
        exactlyOne + " (not several)", "--top", "all", "--channels-file", file.toString());
  }

  @Test
  void readsTheChannelsFileAtSubmission() throws Exception {
    Path file = Files.writeString(dir.resolve("channels.txt"), "# mine\nShroud\nxqc\nshroud\n");
    IrcSource source = Settings.chatSource(parse("--channels-file", file.toString()));
    assertThat(source).isNotNull();

    Path bad = Files.writeString(dir.resolve("bad.txt"), "shroud\n\nnot-a-login\n");
    assertSourceError(
        "--channels-file "
            + bad
            + " line 3: 'not-a-login' is not a Twitch login (1-25 of a-z, 0-9, _)",
        "--channels-file",
        bad.toString());
    Path missing = dir.resolve("missing.txt");
    assertThatThrownBy(() -> Settings.chatSource(parse("--channels-file", missing.toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("--channels-file cannot read " + missing);
  }

  @Test
  void aHundredThousandChannelsAddAboutThreeMegabytesToTheJobGraph() throws Exception {
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < 100_000; i++) {
      lines.append("channel_").append(i).append('\n');
    }
    Path file = Files.writeString(dir.resolve("many.txt"), lines);
    int small = jobGraphBytes(Files.writeString(dir.resolve("one.txt"), "channel_0\n"));
    int large = jobGraphBytes(file);
    System.out.printf(
        "Job graph: %,d bytes with 1 channel, %,d bytes with 100,000 (%,d bytes more)%n",
        small, large, large - small);
    // The source is serialized twice: in the readers' operator and in the enumerator's coordinator.
    assertThat(large - small).isBetween(2_000_000, 4_000_000);
  }

  private int jobGraphBytes(Path channelsFile) throws Exception {
    IrcSource source = Settings.chatSource(parse("--channels-file", channelsFile.toString()));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.fromSource(source, WatermarkStrategy.noWatermarks(), "chat").sinkTo(new DiscardingSink<>());
    return InstantiationUtil.serializeObject(env.getStreamGraph().getJobGraph()).length;
  }

  private static Configuration parse(String... args) {
    return CommandLine.parse(args, Map.of(), JobOptions.CLUSTER);
  }

  private static void assertError(String message, String... args) {
    assertThatThrownBy(() -> parse(args)).isInstanceOf(ConfigException.class).hasMessage(message);
  }

  private static void assertSourceError(String message, String... args) {
    assertThatThrownBy(() -> Settings.chatSource(parse(args)))
        .isInstanceOf(ConfigException.class)
        .hasMessage(message);
  }
}
