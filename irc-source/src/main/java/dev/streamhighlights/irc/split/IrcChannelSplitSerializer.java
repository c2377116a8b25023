package dev.streamhighlights.irc.split;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/** Serializes {@link IrcChannelSplit}s into checkpoints. Version 1: the channel name. */
public final class IrcChannelSplitSerializer implements SimpleVersionedSerializer<IrcChannelSplit> {

  public static final int VERSION = 1;

  @Override
  public int getVersion() {
    return VERSION;
  }

  @Override
  public byte[] serialize(IrcChannelSplit split) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(32);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeUTF(split.channel());
    }
    return bytes.toByteArray();
  }

  @Override
  public IrcChannelSplit deserialize(int version, byte[] serialized) throws IOException {
    if (version != VERSION) {
      throw new IOException(
          "unknown IrcChannelSplit serializer version "
              + version
              + " (this build reads "
              + VERSION
              + ")");
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
      return new IrcChannelSplit(in.readUTF());
    }
  }
}
