package dev.streamhighlights.job.eventtime;

import dev.streamhighlights.irc.model.ChatMessage;
import dev.streamhighlights.irc.source.IrcSource;
import dev.streamhighlights.job.window.ChatCount;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.Source;

/** The one watermark strategy for chat: event time is Twitch's server time of each message. */
public final class ChatWatermarks {

  /** Operator name of the watermark step in the web UI. */
  public static final String NAME = "chat-event-time";

  private ChatWatermarks() {}

  /**
   * The strategy for {@code source}: live IRC chat's readers emit their own watermarks, which
   * follow the wall clock as far as every connection has handed over its chat (a generator on top
   * would take the newest message of any channel as the time of all, and make a connection that is
   * behind late); every other source (Kafka, replays, tests) gets {@link #strategy}.
   */
  public static WatermarkStrategy<ChatMessage> forSource(
      Source<ChatMessage, ?, ?> source, Duration outOfOrderness, Duration idleness) {
    if (source instanceof IrcSource irc && irc.emitsWatermarks()) {
      return WatermarkStrategy.<ChatMessage>noWatermarks()
          .withTimestampAssigner((message, previous) -> message.eventTime());
    }
    return strategy(outOfOrderness, idleness);
  }

  /**
   * Bounded out-of-orderness (messages of one source arrive almost in server-time order) with
   * idleness, so a quiet source split does not hold back every channel's windows.
   */
  public static WatermarkStrategy<ChatMessage> strategy(
      Duration outOfOrderness, Duration idleness) {
    return bounded(outOfOrderness, idleness, ChatMessage::eventTime);
  }

  /**
   * {@link #strategy} for counts made before the pipeline (a counting replay): a count's time is
   * its newest message's, so the watermarks are the ones those messages would have made.
   */
  public static WatermarkStrategy<ChatCount> forCounts(Duration outOfOrderness, Duration idleness) {
    return bounded(outOfOrderness, idleness, ChatCount::eventTime);
  }

  private static <T> WatermarkStrategy<T> bounded(
      Duration outOfOrderness, Duration idleness, SerializableToLong<T> eventTime) {
    return WatermarkStrategy.<T>forBoundedOutOfOrderness(outOfOrderness)
        .withTimestampAssigner((element, previous) -> eventTime.applyAsLong(element))
        .withIdleness(idleness);
  }

  /** An element's event time; serializable, as the strategy travels with the job graph. */
  @FunctionalInterface
  private interface SerializableToLong<T> extends java.io.Serializable {
    long applyAsLong(T element);
  }
}
