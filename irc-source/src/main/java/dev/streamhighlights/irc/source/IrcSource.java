package dev.streamhighlights.irc.source;

import dev.streamhighlights.irc.config.Secrets;
import dev.streamhighlights.irc.connection.ChatSettings;
import dev.streamhighlights.irc.discovery.ChannelDiscovery;
import dev.streamhighlights.irc.enumerator.IrcSourceEnumState;
import dev.streamhighlights.irc.enumerator.IrcSourceEnumStateSerializer;
import dev.streamhighlights.irc.enumerator.IrcSourceEnumerator;
import dev.streamhighlights.irc.model.ChatMessage;
import dev.streamhighlights.irc.reader.IrcSourceReader;
import dev.streamhighlights.irc.split.IrcChannelSplit;
import dev.streamhighlights.irc.split.IrcChannelSplitSerializer;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A Flink source for Twitch chat over IRC (TLS or WebSocket): one split per channel, channels from
 * a fixed list or the top live streams, several connections per reader. Build it with {@link
 * #builder()}.
 */
public final class IrcSource
    implements Source<ChatMessage, IrcChannelSplit, IrcSourceEnumState>,
        ResultTypeQueryable<ChatMessage> {

  private final ChatSettings chat;
  private final ChannelDiscovery discovery;
  private final Duration discoveryInterval;
  private final Secrets secrets;
  private final Duration eventTimeLag;

  IrcSource(
      ChatSettings chat,
      ChannelDiscovery discovery,
      Duration discoveryInterval,
      Secrets secrets,
      Duration eventTimeLag) {
    this.chat = chat;
    this.discovery = discovery;
    this.discoveryInterval = discoveryInterval;
    this.secrets = secrets;
    this.eventTimeLag = eventTimeLag;
  }

  public static IrcSourceBuilder builder() {
    return new IrcSourceBuilder();
  }

  /**
   * Whether the readers emit the watermarks themselves (live chat, stamped with the current time:
   * event time follows the wall clock; see {@link IrcSourceReader}), so the job must give the
   * source a strategy without a watermark generator. False for replays at another speed, whose
   * watermarks come from the messages.
   */
  public boolean emitsWatermarks() {
    return eventTimeLag != null;
  }

  public ChatSettings chatSettings() {
    return chat;
  }

  @Override
  public Boundedness getBoundedness() {
    return Boundedness.CONTINUOUS_UNBOUNDED;
  }

  @Override
  public SourceReader<ChatMessage, IrcChannelSplit> createReader(SourceReaderContext context) {
    return new IrcSourceReader(context, chat, secrets, eventTimeLag);
  }

  @Override
  public SplitEnumerator<IrcChannelSplit, IrcSourceEnumState> createEnumerator(
      SplitEnumeratorContext<IrcChannelSplit> context) {
    return new IrcSourceEnumerator(
        context,
        discovery,
        discoveryInterval.toMillis(),
        IrcSourceEnumState.EMPTY,
        chat.identities());
  }

  @Override
  public SplitEnumerator<IrcChannelSplit, IrcSourceEnumState> restoreEnumerator(
      SplitEnumeratorContext<IrcChannelSplit> context, IrcSourceEnumState checkpoint) {
    return new IrcSourceEnumerator(
        context, discovery, discoveryInterval.toMillis(), checkpoint, chat.identities());
  }

  @Override
  public SimpleVersionedSerializer<IrcChannelSplit> getSplitSerializer() {
    return new IrcChannelSplitSerializer();
  }

  @Override
  public SimpleVersionedSerializer<IrcSourceEnumState> getEnumeratorCheckpointSerializer() {
    return new IrcSourceEnumStateSerializer();
  }

  @Override
  public TypeInformation<ChatMessage> getProducedType() {
    return TypeInformation.of(ChatMessage.class);
  }
}
