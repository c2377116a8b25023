package dev.streamhighlights.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

class RestartsTest {

  @Test
  void aJobWithoutAConfiguredStrategyGetsBoundedFailureRateRestarts() {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1);
    env.enableCheckpointing(10_000);
    Restarts.boundUnlessConfigured(env);
    var conf = env.getConfiguration();
    assertThat(conf.get(RestartStrategyOptions.RESTART_STRATEGY)).isEqualTo("failure-rate");
    assertThat(
            conf.get(
                RestartStrategyOptions.RESTART_STRATEGY_FAILURE_RATE_MAX_FAILURES_PER_INTERVAL))
        .isEqualTo(5);
    assertThat(conf.get(RestartStrategyOptions.RESTART_STRATEGY_FAILURE_RATE_FAILURE_RATE_INTERVAL))
        .isEqualTo(Duration.ofHours(1));
    assertThat(conf.get(RestartStrategyOptions.RESTART_STRATEGY_FAILURE_RATE_DELAY))
        .isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void aStrategyInTheFlinkConfigurationIsTheOperatorsChoice() {
    Configuration cluster = new Configuration();
    cluster.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(cluster);
    Restarts.boundUnlessConfigured(env);
    assertThat(env.getConfiguration().get(RestartStrategyOptions.RESTART_STRATEGY))
        .isEqualTo("exponential-delay");
  }
}
