package dev.streamhighlights.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamhighlights.irc.connection.ChatIdentity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandLineTest {

  @Test
  void usesDefaultsWhenNothingIsGiven() {
    Configuration c = CommandLine.defaults(JobOptions.CLUSTER);
    assertThat(c.get(JobOptions.RULE)).isEqualTo(JobOptions.SurgeRuleKind.EXCESS);
    assertThat(c.get(JobOptions.THRESHOLD)).as("the rule's own").isNull();
    assertThat(c.get(JobOptions.CLIPS_PER_HOUR)).isEqualTo(6);
    assertThat(c.get(JobOptions.WINDOW)).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.get(JobOptions.MONGO_URI)).isNull();
  }

  @Test
  void readsBothArgumentStyles() {
    Configuration c =
        CommandLine.parse(
            new String[] {"--rule", "seed", "--cooldown=45s", "--threshold", "2.5"},
            Map.of(),
            JobOptions.PIPELINE);
    assertThat(c.get(JobOptions.RULE)).isEqualTo(JobOptions.SurgeRuleKind.SEED);
    assertThat(c.get(JobOptions.COOLDOWN)).isEqualTo(Duration.ofSeconds(45));
    assertThat(c.get(JobOptions.THRESHOLD)).isEqualTo(2.5);
  }

  @Test
  void rejectsABadValueNamingTheOptionAndWhatItAccepts() {
    assertOneLineError(
        new String[] {"--rule", "magic"}, "--rule accepts one of default, excess, variance, seed");
    assertOneLineError(
        new String[] {"--clip-seconds", "90"}, "--clip-seconds accepts an integer from 5 to 60");
    assertOneLineError(new String[] {"--window", "ten"}, "--window accepts a duration from 1s");
    assertOneLineError(new String[] {"--threshold", "NaN"}, "--threshold accepts a number");
  }

  @Test
  void twitchUrlsMustBeHttpsExceptToThisMachine() {
    String accepts = "an https:// URL (http:// only to 127.0.0.1, localhost or [::1])";
    assertExactError(
        JobOptions.CLUSTER,
        "--helix-url accepts " + accepts + ", not 'api.twitch.tv/helix'",
        "--helix-url",
        "api.twitch.tv/helix");
    assertExactError(
        JobOptions.CLUSTER,
        "--helix-url accepts " + accepts + ", not 'http://api.twitch.tv/helix'",
        "--helix-url",
        "http://api.twitch.tv/helix");
    assertExactError(
        JobOptions.CLUSTER,
        "--auth-url accepts " + accepts + ", not 'http://10.1.2.3:8080/oauth2'",
        "--auth-url",
        "http://10.1.2.3:8080/oauth2");
    for (String local :
        List.of("http://127.0.0.1:4321/helix", "http://localhost/helix", "http://[::1]:80/helix")) {
      assertThat(
              CommandLine.parse(new String[] {"--helix-url", local}, Map.of(), JobOptions.CLUSTER)
                  .get(JobOptions.HELIX_URL))
          .isEqualTo(local);
    }
  }

  @Test
  void aChatLoginIsRefusedOverPlainTextToAnotherMachine() {
    assertExactLoginError(
        JobOptions.CLUSTER,
        "--irc-uri with --chat-nick (the login sends TWITCH_CHAT_TOKEN) accepts ircs:// or wss://"
            + " (irc:// and ws:// only to 127.0.0.1, localhost or [::1]), not"
            + " 'irc://irc.chat.twitch.tv:6667'",
        "--chat-nick",
        "mybot",
        "--irc-uri",
        "irc://irc.chat.twitch.tv:6667");
    assertExactLoginError(
        JobOptions.INGEST,
        "--irc-uri with --chat-nick (the login sends TWITCH_CHAT_TOKEN) accepts ircs:// or wss://"
            + " (irc:// and ws:// only to 127.0.0.1, localhost or [::1]), not 'ws://chat.local'",
        "--chat-nick",
        "mybot",
        "--irc-uri",
        "ws://chat.local");
    Settings.checkChatLogin(
        CommandLine.parse(
            new String[] {"--chat-nick", "mybot", "--irc-uri", "irc://127.0.0.1:6667"},
            Map.of(),
            JobOptions.CLUSTER));
    Settings.checkChatLogin(
        CommandLine.parse(new String[] {"--chat-nick", "mybot"}, Map.of(), JobOptions.CLUSTER));
    CommandLine.parse(
        new String[] {"--irc-uri", "irc://irc.example.com:6667"}, Map.of(), JobOptions.CLUSTER);
  }

  @Test
  void chatIdentitiesComeFromTheOptions() {
    List<ChatIdentity> defaults =
        Settings.chatSource(
                CommandLine.parse(new String[] {"--channels", "a"}, Map.of(), JobOptions.CLUSTER))
            .chatSettings()
            .identities();
    assertThat(defaults).hasSize(1);
    assertThat(defaults.get(0).isAnonymous()).isTrue();
    assertThat(defaults.get(0).joinLimit()).isEqualTo(20);
    assertThat(defaults.get(0).maxChannels()).isEqualTo(ChatIdentity.NO_CAP);
    assertThat(
            Settings.chatSource(
                    CommandLine.parse(
                        new String[] {"--channels", "a"}, Map.of(), JobOptions.CLUSTER),
                    3)
                .chatSettings()
                .identities())
        .as("one anonymous identity per reader at parallelism 3")
        .hasSize(3)
        .allMatch(ChatIdentity::isAnonymous);

    List<ChatIdentity> mix =
        Settings.chatSource(
                CommandLine.parse(
                    new String[] {
                      "--channels", "a",
                      "--chat-nick", "MyBot",
                      "--chat-join-limit", "2000",
                      "--anonymous-identities", "10",
                      "--anonymous-channel-cap", "500"
                    },
                    Map.of(),
                    JobOptions.CLUSTER))
            .chatSettings()
            .identities();
    assertThat(mix).hasSize(11);
    assertThat(mix.get(0))
        .isEqualTo(
            new ChatIdentity("mybot", "TWITCH_CHAT_TOKEN", 2_000, Duration.ofSeconds(10), 100));
    assertThat(mix.subList(1, 11))
        .allSatisfy(id -> assertThat(id.maxChannels()).isEqualTo(500))
        .allSatisfy(id -> assertThat(id.isAnonymous()).isTrue());

    List<ChatIdentity> loginOnly =
        Settings.chatSource(
                CommandLine.parse(
                    new String[] {"--channels", "a", "--chat-nick", "mybot"},
                    Map.of(),
                    JobOptions.CLUSTER))
            .chatSettings()
            .identities();
    assertThat(loginOnly).extracting(ChatIdentity::nick).containsExactly("mybot");
  }

  @Test
  void anInvalidMongoDatabaseNameIsRefusedAtStart() {
    String accepts =
        "--mongo-database accepts a MongoDB database name: 1-63 bytes, no spaces, none of"
            + " / \\ . \" $ * < > : ? and no vertical bar, not ";
    assertExactError(JobOptions.PIPELINE, accepts + "'my.db'", "--mongo-database", "my.db");
    assertExactError(JobOptions.CLUSTER, accepts + "'a b'", "--mongo-database", "a b");
    assertExactError(
        JobOptions.CLUSTER,
        accepts + "'" + "x".repeat(40) + "...'",
        "--mongo-database",
        "x".repeat(64));
    assertThat(
            CommandLine.parse(
                    new String[] {"--mongo-database", "highlights_2"}, Map.of(), JobOptions.CLUSTER)
                .get(JobOptions.MONGO_DATABASE))
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
                CommandLine.parse(
                    new String[] {"--mongo-uri", "mongodb://user:hunter2@db:27017"},
                    Map.of(),
                    JobOptions.PIPELINE))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("MONGO_URI")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void readsTheSecretUriFromTheEnvironmentOrAFile(@TempDir Path dir) throws Exception {
    String uri = "mongodb://user:hunter2@db:27017";
    assertThat(
            CommandLine.parse(new String[0], Map.of("MONGO_URI", uri), JobOptions.PIPELINE)
                .get(JobOptions.MONGO_URI))
        .isEqualTo(uri);

    Path file = dir.resolve("mongo-uri");
    Files.writeString(file, uri + "\n");
    assertThat(
            CommandLine.parse(
                    new String[] {"--mongo-uri-file", file.toString()},
                    Map.of(),
                    JobOptions.PIPELINE)
                .get(JobOptions.MONGO_URI))
        .isEqualTo(uri);
  }

  @Test
  void aMalformedSecretIsReportedWithoutItsValue() {
    assertThatThrownBy(
            () ->
                CommandLine.parse(
                    new String[0], Map.of("MONGO_URI", "postgres://secret"), JobOptions.PIPELINE))
        .isInstanceOf(ConfigException.class)
        .hasMessage("--mongo-uri accepts a mongodb:// or mongodb+srv:// URI");
  }

  @Test
  void requireNamesTheMissingOption() {
    Configuration c = CommandLine.defaults(List.of(JobOptions.CHAT_FILE));
    assertThatThrownBy(() -> CommandLine.require(c, JobOptions.CHAT_FILE))
        .hasMessageStartingWith("--chat is required");
  }

  @Test
  void ruleDefaultNamesTheExcessRuleAndTheOlderRulesSettingsSayWhereTheyApply() {
    assertThat(Settings.pipeline(parse("--rule", "default")).surgeRule().name())
        .isEqualTo("excess");
    assertThat(Settings.pipeline(parse("--rule", "variance", "--min-count", "8")).rule())
        .isEqualTo("variance");
    assertThat(Settings.pipeline(parse("--rule", "seed", "--history-windows", "12")).rule())
        .isEqualTo("seed");
    assertThatThrownBy(() -> Settings.pipeline(parse("--history-windows", "18")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("--history-windows is a setting of the seed and variance rules");
    assertThatThrownBy(() -> Settings.pipeline(parse("--min-count", "3")))
        .hasMessageContaining("--rule variance");
    assertThatThrownBy(() -> Settings.pipeline(parse("--detector-model", "/no/such/model")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("--detector-model /no/such/model does not exist");
  }

  private static org.apache.flink.configuration.Configuration parse(String... args) {
    return CommandLine.parse(args, Map.of(), JobOptions.PIPELINE);
  }

  private static void assertOneLineError(String[] args, String start) {
    assertThatThrownBy(() -> CommandLine.parse(args, Map.of(), JobOptions.PIPELINE))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(start)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  private static void assertExactError(
      List<ConfigOption<?>> known, String message, String... args) {
    assertThatThrownBy(() -> CommandLine.parse(args, Map.of(), known))
        .isInstanceOf(ConfigException.class)
        .hasMessage(message);
  }

  private static void assertExactLoginError(
      List<ConfigOption<?>> known, String message, String... args) {
    assertThatThrownBy(() -> Settings.checkChatLogin(CommandLine.parse(args, Map.of(), known)))
        .isInstanceOf(ConfigException.class)
        .hasMessage(message);
  }

  @Test
  void readsOptionsFromTheFlinkConfigurationUnderThePrefix() {
    Configuration flink = new Configuration();
    flink.setString("stream-highlights.window", "20 s");
    flink.setString("stream-highlights.rule", "seed");
    flink.setString("window", "99 s");
    Configuration c =
        CommandLine.parse(new String[] {"--rule", "default"}, Map.of(), flink, JobOptions.PIPELINE);
    assertThat(c.get(JobOptions.WINDOW)).isEqualTo(Duration.ofSeconds(20));
    assertThat(c.get(JobOptions.RULE))
        .as("the command line wins")
        .isEqualTo(JobOptions.SurgeRuleKind.DEFAULT);
    flink.setString("stream-highlights.window", "1 h");
    assertThatThrownBy(() -> CommandLine.parse(new String[0], Map.of(), flink, JobOptions.PIPELINE))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("--window accepts a duration from 1s to 5m");
    Configuration misspelt = new Configuration();
    misspelt.setString("stream-highlights.windw", "20 s");
    assertThatThrownBy(
            () -> CommandLine.parse(new String[0], Map.of(), misspelt, JobOptions.PIPELINE))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(
            "unknown option stream-highlights.windw in the Flink configuration");
  }

  @Test
  void aDurationWithoutAUnitIsRefusedNotReadAsMilliseconds() {
    assertOneLineError(new String[] {"--cooldown", "30"}, "--cooldown accepts a duration from 0s");
    Configuration flink = new Configuration();
    flink.setString("stream-highlights.cooldown", "30");
    assertThatThrownBy(() -> CommandLine.parse(new String[0], Map.of(), flink, JobOptions.PIPELINE))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("--cooldown accepts a duration from 0s");
  }

  @Test
  void refusesAPasswordInTheFlinkConfigurationWithoutEchoingIt() {
    Configuration flink = new Configuration();
    flink.setString("stream-highlights.mongo-uri", "mongodb://user:hunter2@db:27017");
    assertThatThrownBy(() -> CommandLine.parse(new String[0], Map.of(), flink, JobOptions.PIPELINE))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("Flink configuration")
        .hasMessageContaining("MONGO_URI")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void choicesIgnoreCase() {
    assertThat(
            CommandLine.parse(new String[] {"--rule", "SEED"}, Map.of(), JobOptions.PIPELINE)
                .get(JobOptions.RULE))
        .isEqualTo(JobOptions.SurgeRuleKind.SEED);
  }

  @Test
  void typedOptionsTakeTheirTypes() {
    Configuration c =
        CommandLine.parse(
            new String[] {"--publish-chat", "true", "--source", "KAFKA"},
            Map.of(),
            JobOptions.CLUSTER);
    assertThat(c.get(JobOptions.PUBLISH_CHAT)).isTrue();
    assertThat(c.get(JobOptions.SOURCE)).isEqualTo(JobOptions.ChatSourceKind.KAFKA);
    assertExactError(
        JobOptions.CLUSTER,
        "--publish-chat accepts one of false, true, not 'yes'",
        "--publish-chat",
        "yes");
  }
}
