package dev.streamhighlights.job.testing;

import dev.streamhighlights.irc.model.ChatMessage;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

/**
 * A bounded, checkpointed source of test chat at a fixed rate, so jobs live long enough to fail.
 */
public final class SlowChat {

  private SlowChat() {}

  public static DataGeneratorSource<ChatMessage> of(List<ChatMessage> messages, int perSecond) {
    String[] channels = messages.stream().map(ChatMessage::channel).toArray(String[]::new);
    long[] times = messages.stream().mapToLong(ChatMessage::eventTime).toArray();
    GeneratorFunction<Long, ChatMessage> at =
        i ->
            new ChatMessage(
                channels[i.intValue()], channels[i.intValue()] + "-id", times[i.intValue()]);
    return new DataGeneratorSource<>(
        at,
        channels.length,
        RateLimiterStrategy.perSecond(perSecond),
        TypeInformation.of(ChatMessage.class));
  }
}
