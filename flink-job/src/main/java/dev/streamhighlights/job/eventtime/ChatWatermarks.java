package dev.streamhighlights.job.eventtime;

import dev.streamhighlights.irc.model.ChatMessage;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/** The one watermark strategy for chat: event time is Twitch's server time of each message. */
public final class ChatWatermarks {

  /** Operator name of the watermark step in the web UI. */
  public static final String NAME = "chat-event-time";

  private ChatWatermarks() {}

  /**
   * Bounded out-of-orderness (messages of one source arrive almost in server-time order) with
   * idleness, so a quiet source split does not hold back every channel's windows.
   */
  public static WatermarkStrategy<ChatMessage> strategy(
      Duration outOfOrderness, Duration idleness) {
    return WatermarkStrategy.<ChatMessage>forBoundedOutOfOrderness(outOfOrderness)
        .withTimestampAssigner((message, previous) -> message.eventTime())
        .withIdleness(idleness);
  }
}
