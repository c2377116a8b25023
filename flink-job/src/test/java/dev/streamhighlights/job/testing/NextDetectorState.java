package dev.streamhighlights.job.testing;

import dev.streamhighlights.job.detect.DetectorState;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.shaded.asm9.org.objectweb.asm.ClassReader;
import org.apache.flink.shaded.asm9.org.objectweb.asm.ClassVisitor;
import org.apache.flink.shaded.asm9.org.objectweb.asm.ClassWriter;
import org.apache.flink.shaded.asm9.org.objectweb.asm.Opcodes;

/**
 * {@link DetectorState} as a next version of the job would have it: this build's class with one
 * more public field, {@value #ADDED_FIELD}, added to its bytecode (no source rewritten, no
 * compiler), so its keyed state schema differs from what a savepoint of this build holds.
 */
public final class NextDetectorState {

  public static final String ADDED_FIELD = "surgesSeen";

  /** Where the class goes in a jar or a classes directory. */
  public static final String CLASS_FILE =
      DetectorState.class.getName().replace('.', '/') + ".class";

  private NextDetectorState() {}

  /** Writes the class file under {@code classes} (as {@link #CLASS_FILE}); returns its path. */
  public static Path writeTo(Path classes) throws IOException {
    Path file = classes.resolve(CLASS_FILE);
    Files.createDirectories(file.getParent());
    return Files.write(file, bytes());
  }

  private static byte[] bytes() throws IOException {
    byte[] current;
    try (InputStream in = DetectorState.class.getResourceAsStream("DetectorState.class")) {
      current = in.readAllBytes();
    }
    ClassReader reader = new ClassReader(current);
    ClassWriter writer = new ClassWriter(reader, 0);
    reader.accept(
        new ClassVisitor(Opcodes.ASM9, writer) {
          @Override
          public void visitEnd() {
            visitField(Opcodes.ACC_PUBLIC, ADDED_FIELD, "J", null, null).visitEnd();
            super.visitEnd();
          }
        },
        0);
    return writer.toByteArray();
  }
}
