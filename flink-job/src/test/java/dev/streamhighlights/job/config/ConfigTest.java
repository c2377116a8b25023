package dev.streamhighlights.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {

  @Test
  void usesDefaultsWhenNothingIsGiven() {
    Config c = Config.defaults(Options.DEMO);
    assertThat(c.get(Options.RULE)).isEqualTo("default");
    assertThat(c.get(Options.WINDOW)).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.get(Options.MONGO_URI)).isNull();
  }

  @Test
  void readsBothArgumentStyles() {
    Config c =
        Config.parse(
            new String[] {"--rule", "seed", "--cooldown=45s", "--threshold", "2.5"},
            Map.of(),
            Options.PIPELINE);
    assertThat(c.get(Options.RULE)).isEqualTo("seed");
    assertThat(c.get(Options.COOLDOWN)).isEqualTo(Duration.ofSeconds(45));
    assertThat(c.get(Options.THRESHOLD)).isEqualTo(2.5);
  }

  @Test
  void rejectsABadValueNamingTheOptionAndWhatItAccepts() {
    assertOneLineError(new String[] {"--rule", "magic"}, "--rule accepts one of default, seed");
    assertOneLineError(
        new String[] {"--clip-seconds", "90"}, "--clip-seconds accepts an integer from 5 to 60");
    assertOneLineError(new String[] {"--window", "ten"}, "--window accepts a duration from 1s");
    assertOneLineError(new String[] {"--threshold", "NaN"}, "--threshold accepts a number");
  }

  @Test
  void rejectsUnknownOptionsAndListsTheKnownOnes() {
    assertOneLineError(new String[] {"--colldown", "5s"}, "unknown option --colldown");
    assertOneLineError(new String[] {"--rule"}, "--rule needs a value");
    assertOneLineError(new String[] {"seed"}, "unexpected argument 'seed'");
  }

  @Test
  void refusesAPasswordOnTheCommandLineWithoutEchoingIt() {
    assertThatThrownBy(
            () ->
                Config.parse(
                    new String[] {"--mongo-uri", "mongodb://user:hunter2@db:27017"},
                    Map.of(),
                    Options.PIPELINE))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("MONGO_URI")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void readsTheSecretUriFromTheEnvironmentOrAFile(@TempDir Path dir) throws Exception {
    String uri = "mongodb://user:hunter2@db:27017";
    assertThat(
            Config.parse(new String[0], Map.of("MONGO_URI", uri), Options.PIPELINE)
                .get(Options.MONGO_URI))
        .isEqualTo(uri);

    Path file = dir.resolve("mongo-uri");
    Files.writeString(file, uri + "\n");
    assertThat(
            Config.parse(
                    new String[] {"--mongo-uri-file", file.toString()}, Map.of(), Options.PIPELINE)
                .get(Options.MONGO_URI))
        .isEqualTo(uri);
  }

  @Test
  void aMalformedSecretIsReportedWithoutItsValue() {
    assertThatThrownBy(
            () ->
                Config.parse(
                    new String[0], Map.of("MONGO_URI", "postgres://secret"), Options.PIPELINE))
        .isInstanceOf(ConfigException.class)
        .hasMessage("--mongo-uri accepts a mongodb:// or mongodb+srv:// URI");
  }

  @Test
  void requireNamesTheMissingOption() {
    Config c = Config.defaults(Options.BACKTEST);
    assertThatThrownBy(() -> c.require(Options.CHAT_FILE))
        .hasMessageStartingWith("--chat is required");
  }

  private static void assertOneLineError(String[] args, String start) {
    assertThatThrownBy(() -> Config.parse(args, Map.of(), Options.PIPELINE))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(start)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }
}
