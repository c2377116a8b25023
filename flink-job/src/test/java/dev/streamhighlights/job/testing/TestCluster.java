package dev.streamhighlights.job.testing;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

/**
 * The MiniCluster of the tests that run whole jobs in the test JVM: one TaskManager with {@link
 * #SLOTS} slots, its REST endpoint on loopback only. Register it once per class: {@code
 * {@literal @}RegisterExtension static final MiniClusterExtension FLINK = TestCluster.create();}.
 */
public final class TestCluster {

  /** Enough for the clip stage at parallelism 2; every other job runs at parallelism 1. */
  public static final int SLOTS = 2;

  private TestCluster() {}

  /** Jobs restart as they configure it themselves (with checkpoints: Flink's default). */
  public static MiniClusterExtension create() {
    return create(new Configuration());
  }

  /** A failing job fails the test at once, unless the job itself asks for restarts. */
  public static MiniClusterExtension withoutRestarts() {
    return create(noRestarts());
  }

  /** With more cluster configuration, such as a metric reporter. */
  public static MiniClusterExtension create(Configuration conf) {
    Configuration cluster = new Configuration(conf);
    cluster.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
    cluster.set(RestOptions.ADDRESS, "127.0.0.1");
    return new MiniClusterExtension(
        new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(SLOTS)
            .setConfiguration(cluster)
            .build());
  }

  public static Configuration noRestarts() {
    Configuration conf = new Configuration();
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    return conf;
  }
}
