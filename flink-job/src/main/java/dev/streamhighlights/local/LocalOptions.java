package dev.streamhighlights.local;

import static dev.streamhighlights.job.config.JobOptions.*;

import java.util.List;
import org.apache.flink.configuration.ConfigOption;

/** The options each local command takes. */
final class LocalOptions {

  static final List<ConfigOption<?>> DEMO =
      union(
          PIPELINE,
          List.of(
              DATA_DIR,
              CHECKPOINT_INTERVAL,
              WEB_UI_PORT,
              WEB_PORT,
              WEB_BIND_ADDRESS,
              DURATION,
              SIMULATED_CHANNELS,
              SIMULATED_RATE,
              REPLAY,
              REPLAY_SPEED,
              CLIP_CONFIRM_WITHIN,
              CLIP_POLL_INTERVAL,
              PUBLISH_CHAT,
              KAFKA_BOOTSTRAP_SERVERS,
              KAFKA_PROPERTIES_FILE,
              KAFKA_CHAT_TOPIC,
              KAFKA_HIGHLIGHTS_TOPIC,
              KAFKA_TRANSACTIONAL_ID_PREFIX));

  /** The cluster job's options, on this machine. */
  static final List<ConfigOption<?>> RUN =
      union(CLUSTER, List.of(DATA_DIR, WEB_UI_PORT, WEB_PORT, WEB_BIND_ADDRESS, DURATION));

  static final List<ConfigOption<?>> BACKTEST =
      union(
          PIPELINE,
          List.of(
              CHAT_FILE,
              OUT_FILE,
              SOURCE,
              KAFKA_BOOTSTRAP_SERVERS,
              KAFKA_PROPERTIES_FILE,
              KAFKA_CHAT_TOPIC,
              KAFKA_GROUP_ID,
              KAFKA_FROM,
              KAFKA_UNTIL));

  static final List<ConfigOption<?>> PUBLISH =
      List.of(CHAT_FILE, KAFKA_BOOTSTRAP_SERVERS, KAFKA_PROPERTIES_FILE, KAFKA_CHAT_TOPIC);

  static final List<ConfigOption<?>> MONGO = List.of(DATA_DIR, MONGO_PORT);

  /** The highlights page alone, reading any MongoDB. */
  static final List<ConfigOption<?>> WEB =
      List.of(MONGO_URI, MONGO_URI_FILE, MONGO_DATABASE, DATA_DIR, WEB_PORT, WEB_BIND_ADDRESS);

  static final List<ConfigOption<?>> SIMULATE =
      List.of(SIMULATED_CHANNELS, SIMULATED_RATE, REPLAY, REPLAY_SPEED);

  private LocalOptions() {}
}
