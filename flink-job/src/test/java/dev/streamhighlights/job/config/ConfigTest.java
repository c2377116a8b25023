package dev.streamhighlights.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
  void twitchUrlsMustBeHttpsExceptToThisMachine() {
    String accepts = "an https:// URL (http:// only to 127.0.0.1, localhost or [::1])";
    assertExactError(
        Options.RUN,
        "--helix-url accepts " + accepts + ", not 'api.twitch.tv/helix'",
        "--helix-url",
        "api.twitch.tv/helix");
    assertExactError(
        Options.CLUSTER,
        "--helix-url accepts " + accepts + ", not 'http://api.twitch.tv/helix'",
        "--helix-url",
        "http://api.twitch.tv/helix");
    assertExactError(
        Options.RUN,
        "--auth-url accepts " + accepts + ", not 'http://10.1.2.3:8080/oauth2'",
        "--auth-url",
        "http://10.1.2.3:8080/oauth2");
    for (String local :
        List.of("http://127.0.0.1:4321/helix", "http://localhost/helix", "http://[::1]:80/helix")) {
      assertThat(
              Config.parse(new String[] {"--helix-url", local}, Map.of(), Options.RUN)
                  .get(Options.HELIX_URL))
          .isEqualTo(local);
    }
  }

  @Test
  void aChatLoginIsRefusedOverPlainTextToAnotherMachine() {
    assertExactError(
        Options.RUN,
        "--irc-uri with --chat-nick (the login sends TWITCH_CHAT_TOKEN) accepts ircs:// or wss://"
            + " (irc:// and ws:// only to 127.0.0.1, localhost or [::1]), not"
            + " 'irc://irc.chat.twitch.tv:6667'",
        "--chat-nick",
        "mybot",
        "--irc-uri",
        "irc://irc.chat.twitch.tv:6667");
    assertExactError(
        Options.INGEST,
        "--irc-uri with --chat-nick (the login sends TWITCH_CHAT_TOKEN) accepts ircs:// or wss://"
            + " (irc:// and ws:// only to 127.0.0.1, localhost or [::1]), not 'ws://chat.local'",
        "--chat-nick",
        "mybot",
        "--irc-uri",
        "ws://chat.local");
    Config.parse(
        new String[] {"--chat-nick", "mybot", "--irc-uri", "irc://127.0.0.1:6667"},
        Map.of(),
        Options.RUN);
    Config.parse(new String[] {"--chat-nick", "mybot"}, Map.of(), Options.RUN);
    Config.parse(new String[] {"--irc-uri", "irc://irc.example.com:6667"}, Map.of(), Options.RUN);
  }

  @Test
  void anInvalidMongoDatabaseNameIsRefusedAtStart() {
    String accepts =
        "--mongo-database accepts a MongoDB database name: 1-63 bytes, no spaces, none of"
            + " / \\ . \" $ * < > : ? and no vertical bar, not ";
    assertExactError(Options.PIPELINE, accepts + "'my.db'", "--mongo-database", "my.db");
    assertExactError(Options.CLUSTER, accepts + "'a b'", "--mongo-database", "a b");
    assertExactError(
        Options.DEMO, accepts + "'" + "x".repeat(40) + "...'", "--mongo-database", "x".repeat(64));
    assertThat(
            Config.parse(new String[] {"--mongo-database", "highlights_2"}, Map.of(), Options.DEMO)
                .get(Options.MONGO_DATABASE))
        .isEqualTo("highlights_2");
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

  private static void assertExactError(List<Option<?>> known, String message, String... args) {
    assertThatThrownBy(() -> Config.parse(args, Map.of(), known))
        .isInstanceOf(ConfigException.class)
        .hasMessage(message);
  }
}
