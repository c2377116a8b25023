package dev.streamhighlights.irc.discovery;

import java.io.Serializable;
import java.util.List;

/** Decides which channels the source reads; asked by the enumerator at start and periodically. */
public interface ChannelDiscovery extends Serializable {

  /** The channels to read now (logins, lower case), most important first. */
  List<String> discover() throws Exception;

  /** Whether the answer changes over time and should be asked again. */
  boolean isPeriodic();

  /** A fixed list of channels. */
  static ChannelDiscovery fixed(List<String> channels) {
    List<String> copy = List.copyOf(channels);
    return new ChannelDiscovery() {
      @Override
      public List<String> discover() {
        return copy;
      }

      @Override
      public boolean isPeriodic() {
        return false;
      }

      @Override
      public String toString() {
        return copy.size() + " fixed channels";
      }
    };
  }
}
