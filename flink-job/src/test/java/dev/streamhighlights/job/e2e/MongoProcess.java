package dev.streamhighlights.job.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The MongoDB-compatible server ({@code stream-highlights mongo}) in a JVM of its own, with its
 * data in an H2 file: a database process a test can kill with SIGKILL and start again on the same
 * port and data. Started like bin/stream-highlights starts it, without the launcher's rebuild check
 * (files others edit meanwhile must not start a build inside a test).
 */
final class MongoProcess implements AutoCloseable {

  private static final Path TARGET = StandaloneCluster.ROOT.resolve("flink-job/target");

  private final Path dir;
  private final int port;
  private Process process;
  private int starts;

  private MongoProcess(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  /** A server on a free port with its data under {@code dir}. */
  static MongoProcess start(Path dir) throws Exception {
    MongoProcess mongo = new MongoProcess(dir, StandaloneCluster.freePort());
    mongo.restart();
    return mongo;
  }

  String uri() {
    return "mongodb://127.0.0.1:" + port;
  }

  /** Kills the server's JVM with SIGKILL (kill -9): no shutdown hook, no flush. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** Starts the server (again) on the same port with the same data; returns once it listens. */
  void restart() throws Exception {
    String classpath =
        String.join(
            java.io.File.pathSeparator,
            TARGET.resolve("classes").toString(),
            Files.readString(TARGET.resolve("classpath.txt")).trim(),
            Files.readString(TARGET.resolve("classpath-runtime.txt")).trim());
    Path out = dir.resolve("mongo-" + ++starts + ".out");
    Files.createDirectories(dir);
    process =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m",
                    "-Dlog4j2.configurationFile="
                        + StandaloneCluster.ROOT.resolve("flink-job/conf/log4j2-local.properties"),
                    "-Dstream-highlights.log.dir=" + dir.resolve("logs"),
                    "-cp",
                    classpath,
                    "dev.streamhighlights.local.StreamHighlights",
                    "mongo",
                    "--mongo-port",
                    String.valueOf(port),
                    "--data-dir",
                    dir.resolve("data").toString()))
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.readString(out).contains("MongoDB-compatible server at")) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw new IOException(
            "the MongoDB-compatible server did not start:\n" + Files.readString(out));
      }
      Thread.sleep(100);
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null) {
      process.destroy();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
