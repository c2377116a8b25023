package dev.streamhighlights.job.backtest;

import dev.streamhighlights.irc.model.ChatMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

  /**
   * Columns instead of objects, and each channel once: the list travels with the job graph, where
   * primitive arrays serialize as blocks while an array of strings costs a lookup per element.
   */
  private record AtIndex(String[] names, String[] ids, int[] channels, long[] eventTimes)
      implements GeneratorFunction<Long, ChatMessage> {

    static AtIndex of(List<ChatMessage> messages) {
      int n = messages.size();
      Map<Channel, Integer> index = new HashMap<>();
      List<String> names = new ArrayList<>();
      List<String> ids = new ArrayList<>();
      int[] channels = new int[n];
      long[] eventTimes = new long[n];
      for (int i = 0; i < n; i++) {
        ChatMessage m = messages.get(i);
        // A channel's id is the same throughout a log; the pair is the key all the same.
        Channel key = new Channel(m.channel(), m.channelId());
        Integer k = index.get(key);
        if (k == null) {
          k = names.size();
          index.put(key, k);
          names.add(m.channel());
          ids.add(m.channelId());
        }
        channels[i] = k;
        eventTimes[i] = m.eventTime();
      }
      return new AtIndex(
          names.toArray(new String[0]), ids.toArray(new String[0]), channels, eventTimes);
    }

    private record Channel(String name, String id) {}

    @Override
    public ChatMessage map(Long index) {
      int i = index.intValue();
      int c = channels[i];
      return new ChatMessage(names[c], ids[c], eventTimes[i]);
    }
  }
}
