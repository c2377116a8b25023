package dev.streamhighlights.job.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamhighlights.job.config.CommandLine;
import dev.streamhighlights.job.config.JobOptions;
import dev.streamhighlights.job.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaSettingsTest {

  @TempDir Path dir;

  @Test
  void eachCommandHasItsOwnTransactionalIdPrefixUnlessOneIsGiven() {
    Map<String, String> env = Map.of("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092");
    assertThat(Settings.kafka(CommandLine.parse(new String[0], env, JobOptions.CLUSTER), "demo"))
        .extracting(KafkaSettings::transactionalIdPrefix)
        .isEqualTo("stream-highlights-demo");
    assertThat(Settings.kafka(CommandLine.parse(new String[0], env, JobOptions.CLUSTER)))
        .extracting(KafkaSettings::transactionalIdPrefix)
        .isEqualTo("stream-highlights-job");
    assertThat(
            Settings.kafka(
                CommandLine.parse(
                    new String[] {"--kafka-transactional-id-prefix", "experiment"},
                    env,
                    JobOptions.CLUSTER)))
        .extracting(KafkaSettings::transactionalIdPrefix)
        .isEqualTo("experiment");
    assertThat(Settings.kafka(CommandLine.parse(new String[0], Map.of(), JobOptions.CLUSTER)))
        .isNull();
  }

  @Test
  void thePropertiesFileOverridesTheJobsDefaultsAndIsNeverPrinted() throws Exception {
    Path file = dir.resolve("kafka.properties");
    Files.writeString(
        file,
        "security.protocol=SASL_SSL\n"
            + "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required"
            + " username=\"u\" password=\"hunter2\";\n"
            + "transaction.timeout.ms=300000\n");
    KafkaSettings kafka =
        Settings.kafka(
            CommandLine.parse(
                new String[] {"--kafka-properties-file", file.toString()},
                Map.of("KAFKA_BOOTSTRAP_SERVERS", "broker:9093"),
                JobOptions.CLUSTER));
    Properties p = kafka.properties(Map.of("transaction.timeout.ms", "900000", "linger.ms", "20"));
    assertThat(p.getProperty("transaction.timeout.ms")).isEqualTo("300000");
    assertThat(p.getProperty("linger.ms")).isEqualTo("20");
    assertThat(p.getProperty("security.protocol")).isEqualTo("SASL_SSL");
    assertThat(kafka.toString()).contains("sasl.jaas.config").doesNotContain("hunter2");
  }
}
