package dev.streamhighlights.irc.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class ChatMessageTypeInfoTest {

  private final TypeSerializer<ChatMessage> serializer =
      TypeInformation.of(ChatMessage.class).createSerializer(new SerializerConfigImpl());

  @Test
  void flinkFindsTheTypeThroughTheAnnotation() {
    assertThat(TypeInformation.of(ChatMessage.class)).isInstanceOf(ChatMessageTypeInfo.class);
    assertThat(serializer).isInstanceOf(ChatMessageTypeInfo.Serializer.class);
  }

  @Test
  void aCopyIsTheImmutableMessageItself() {
    ChatMessage m = new ChatMessage("alpha", "1001", 1_700_000_000_123L);

    assertThat(serializer.isImmutableType()).isTrue();
    assertThat(serializer.copy(m)).isSameAs(m);
  }

  @Test
  void messagesAndMarkersSurviveTheWire() throws IOException {
    ChatMessage message = new ChatMessage("alpha", "1001", 1_700_000_000_123L);
    ChatMessage marker = ChatMessage.watchStart("ünïcode_channel", null, -5L);
    DataOutputSerializer out = new DataOutputSerializer(64);
    serializer.serialize(message, out);
    serializer.serialize(marker, out);

    DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
    assertThat(serializer.deserialize(in)).isEqualTo(message);
    // copy(in, out) moves one message's bytes unchanged.
    DataOutputSerializer copied = new DataOutputSerializer(64);
    serializer.copy(in, copied);
    assertThat(serializer.deserialize(new DataInputDeserializer(copied.getCopyOfBuffer())))
        .isEqualTo(marker);
    assertThat(in.available()).isZero();
  }

  @Test
  void anUnknownKindIsAnErrorNotAMessage() {
    DataOutputSerializer out = new DataOutputSerializer(64);
    assertThatThrownBy(
            () -> {
              out.writeUTF("alpha");
              out.writeUTF("1001");
              out.writeLong(1L);
              out.writeByte(7);
              serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
            })
        .isInstanceOf(IOException.class)
        .hasMessageContaining("kind 7");
  }

  @Test
  void theSnapshotRestoresACompatibleSerializer() throws IOException {
    TypeSerializerSnapshot<ChatMessage> snapshot = serializer.snapshotConfiguration();
    DataOutputSerializer out = new DataOutputSerializer(64);
    snapshot.writeSnapshot(out);
    TypeSerializerSnapshot<ChatMessage> read = new ChatMessageTypeInfo.Snapshot();
    read.readSnapshot(
        snapshot.getCurrentVersion(),
        new DataInputDeserializer(out.getCopyOfBuffer()),
        getClass().getClassLoader());

    assertThat(read.restoreSerializer()).isSameAs(serializer);
    assertThat(
            serializer.snapshotConfiguration().resolveSchemaCompatibility(read).isCompatibleAsIs())
        .isTrue();
  }
}
