package dev.streamhighlights.job;

import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * How often a failing job is restarted. With checkpointing on, Flink's default restarts forever, so
 * a failure that every restart meets again (a store refusing writes, a bug on some input) loops
 * while chat is lost and nobody is told. Failure-rate restarts ride out the occasional failure of a
 * job that runs for months (a TaskManager lost, MongoDB down for a while) and fail the job for good
 * when failures keep coming, which is what alerts an operator. Exponential delay would not end a
 * loop: it keeps retrying, only less often.
 */
public final class Restarts {

  /** More failures than this within {@link #FAILURE_INTERVAL} fail the job for good. */
  static final int MAX_FAILURES = 5;

  /**
   * One hour: a sink that waits out a database for up to {@link
   * dev.streamhighlights.job.mongo.MongoSinks#OUTAGE_TOLERANCE} (10 min) before it fails the job
   * must still add up to more than {@link #MAX_FAILURES} failures in the interval when the database
   * keeps refusing (a validator or a revoked role after the start), or the job would loop forever,
   * 10 minutes at a time.
   */
  static final Duration FAILURE_INTERVAL = Duration.ofHours(1);

  /** The wait before a restart: long enough for a restarting service, short for lost chat. */
  static final Duration DELAY = Duration.ofSeconds(10);

  private Restarts() {}

  /**
   * The job's restart strategy is the bounded one, unless the Flink configuration (the cluster's
   * config.yaml, or {@code -D} on {@code flink run}) names one: that is the operator's choice.
   */
  static void boundUnlessConfigured(StreamExecutionEnvironment env) {
    if (env.getConfiguration().getOptional(RestartStrategyOptions.RESTART_STRATEGY).isEmpty()) {
      Configuration bounded = new Configuration();
      bound(bounded);
      env.configure(bounded);
    }
  }

  /**
   * Checkpoints that cannot complete while a sink waits out a database outage (the MongoDB sinks
   * wait up to {@link dev.streamhighlights.job.mongo.MongoSinks#OUTAGE_TOLERANCE}) must not fail
   * the job: a restart would lose the chat the IRC source cannot replay. Flink's default fails the
   * job at the first checkpoint that times out. This tolerates as many in a row as the outage
   * tolerance spans, plus two.
   */
  public static void rideOutOutages(StreamExecutionEnvironment env) {
    long timeout = env.getCheckpointConfig().getCheckpointTimeout();
    long outage = dev.streamhighlights.job.mongo.MongoSinks.OUTAGE_TOLERANCE.toMillis();
    env.getCheckpointConfig()
        .setTolerableCheckpointFailureNumber((int) ((outage + timeout - 1) / timeout) + 2);
  }

  /** Sets the bounded failure-rate strategy in {@code conf}. */
  public static Configuration bound(Configuration conf) {
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "failure-rate");
    conf.set(
        RestartStrategyOptions.RESTART_STRATEGY_FAILURE_RATE_MAX_FAILURES_PER_INTERVAL,
        MAX_FAILURES);
    conf.set(
        RestartStrategyOptions.RESTART_STRATEGY_FAILURE_RATE_FAILURE_RATE_INTERVAL,
        FAILURE_INTERVAL);
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FAILURE_RATE_DELAY, DELAY);
    return conf;
  }
}
