package dev.streamhighlights.irc.enumerator;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Serializes the {@link IrcSourceEnumState} into checkpoints. Version 1: a count, then (channel,
 * reader) pairs in order, the reader -1 while unassigned.
 */
public final class IrcSourceEnumStateSerializer
    implements SimpleVersionedSerializer<IrcSourceEnumState> {

  public static final int VERSION = 1;

  @Override
  public int getVersion() {
    return VERSION;
  }

  @Override
  public byte[] serialize(IrcSourceEnumState state) throws IOException {
    Map<String, Integer> assignments = state.assignments();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 + assignments.size() * 16);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(assignments.size());
      for (Map.Entry<String, Integer> e : assignments.entrySet()) {
        out.writeUTF(e.getKey());
        out.writeInt(e.getValue());
      }
    }
    return bytes.toByteArray();
  }

  @Override
  public IrcSourceEnumState deserialize(int version, byte[] serialized) throws IOException {
    if (version != VERSION) {
      throw new IOException(
          "unknown channel assignment serializer version "
              + version
              + " (this build reads "
              + VERSION
              + ")");
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
      int n = in.readInt();
      Map<String, Integer> assignments = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        assignments.put(in.readUTF(), in.readInt());
      }
      return new IrcSourceEnumState(assignments);
    }
  }
}
