package dev.streamhighlights.job.detect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamhighlights.job.testing.NextDetectorState;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The detector's state can gain a field without losing what a savepoint holds: state written by
 * this build's {@link DetectorState} is read back as a next version of the class with one more
 * field (see {@link NextDetectorState}; loaded in its own class loader, as a new job jar would be),
 * through Flink's POJO serializer schema evolution.
 */
class DetectorStateEvolutionTest {

  @TempDir Path dir;

  @Test
  void stateWrittenByThisVersionIsReadByAVersionWithAnAddedField() throws Exception {
    // What this version writes: the serializer's snapshot (as in a savepoint) and one value.
    DetectorState state = new DetectorState(10);
    for (long c : new long[] {3, 5, 8}) {
      state.push(c);
    }
    state.lastWindowEnd = 1_700_000_030_000L;
    state.runStart = 1_700_000_020_000L;
    state.cleanupTimer = 1_700_001_830_000L;
    TypeSerializer<DetectorState> v1 = serializer(DetectorState.class);
    DataOutputSerializer out = new DataOutputSerializer(256);
    TypeSerializerSnapshot.writeVersionedSnapshot(out, v1.snapshotConfiguration());
    v1.serialize(state, out);
    byte[] written = out.getCopyOfBuffer();

    // The next version: the same class with a field added, in its own class loader.
    try (URLClassLoader v2Loader = loaderWithEvolvedState()) {
      Class<?> v2Class = v2Loader.loadClass(DetectorState.class.getName());
      assertThat(v2Class).isNotSameAs(DetectorState.class);
      assertThat(v2Class.getField("surgesSeen")).isNotNull();

      DataInputDeserializer in = new DataInputDeserializer(written);
      TypeSerializerSnapshot<Object> oldSnapshot =
          TypeSerializerSnapshot.readVersionedSnapshot(in, v2Loader);
      TypeSerializer<Object> v2 = serializer(v2Class);
      TypeSerializerSchemaCompatibility<Object> compatibility =
          v2.snapshotConfiguration().resolveSchemaCompatibility(oldSnapshot);
      assertThat(compatibility.isCompatibleAfterMigration()).isTrue();

      Object migrated = oldSnapshot.restoreSerializer().deserialize(in);
      assertThat(migrated.getClass()).isSameAs(v2Class);
      assertThat((long[]) field(migrated, "counts")).startsWith(3L, 5L, 8L);
      assertThat(field(migrated, "filled")).isEqualTo(3);
      assertThat(field(migrated, "lastWindowEnd")).isEqualTo(1_700_000_030_000L);
      assertThat(field(migrated, "runStart")).isEqualTo(1_700_000_020_000L);
      assertThat(field(migrated, "cleanupTimer")).isEqualTo(1_700_001_830_000L);
      assertThat(field(migrated, "surgesSeen")).isEqualTo(0L);
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> TypeSerializer<T> serializer(Class<?> type) {
    return ((TypeInformation<T>) TypeInformation.of(type)).createSerializer(new ExecutionConfig());
  }

  private static Object field(Object o, String name) throws Exception {
    Field f = o.getClass().getField(name);
    return f.get(o);
  }

  /** Loads the next version of DetectorState first, everything else as usual. */
  private URLClassLoader loaderWithEvolvedState() throws IOException {
    Path classes = dir.resolve("classes");
    NextDetectorState.writeTo(classes);
    ClassLoader parent = DetectorStateEvolutionTest.class.getClassLoader();
    return new URLClassLoader(new URL[] {classes.toUri().toURL()}, parent) {
      @Override
      protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (name.equals(DetectorState.class.getName())) {
          synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            return c != null ? c : findClass(name);
          }
        }
        return super.loadClass(name, resolve);
      }
    };
  }
}
