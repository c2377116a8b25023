package dev.streamhighlights.job.backtest;

import dev.streamhighlights.irc.model.ChatMessage;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

/**
 * A bounded source that emits a list of chat messages in list order (at parallelism 1), for
 * backtests and tests. The list travels with the job graph, which suits logs of a few million rows.
 */
public final class ListChatSource {

  private ListChatSource() {}

  public static DataGeneratorSource<ChatMessage> of(List<ChatMessage> messages) {
    return new DataGeneratorSource<>(
        AtIndex.of(messages), messages.size(), TypeInformation.of(ChatMessage.class));
  }

  /** Columns instead of objects: compact to ship, and channel strings are shared. */
  private record AtIndex(String[] channels, String[] channelIds, long[] eventTimes)
      implements GeneratorFunction<Long, ChatMessage> {

    static AtIndex of(List<ChatMessage> messages) {
      int n = messages.size();
      AtIndex columns = new AtIndex(new String[n], new String[n], new long[n]);
      for (int i = 0; i < n; i++) {
        ChatMessage m = messages.get(i);
        columns.channels[i] = m.channel();
        columns.channelIds[i] = m.channelId();
        columns.eventTimes[i] = m.eventTime();
      }
      return columns;
    }

    @Override
    public ChatMessage map(Long index) {
      int i = index.intValue();
      return new ChatMessage(channels[i], channelIds[i], eventTimes[i]);
    }
  }
}
