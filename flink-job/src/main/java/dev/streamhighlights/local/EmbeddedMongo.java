package dev.streamhighlights.local;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import dev.streamhighlights.job.config.ConfigException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.h2.mvstore.MVStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A MongoDB-compatible server (mongo-java-server) on 127.0.0.1 with its data in an H2 file under
 * the data directory: the default store of local runs, so nothing has to be installed.
 */
public final class EmbeddedMongo implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMongo.class);

  /** How often the data file is written (H2's default is 1 s). */
  static final int AUTO_COMMIT_MS = 50;

  private final H2Backend backend;
  private final MongoServer server;
  private final String uri;
  private final java.util.concurrent.atomic.AtomicBoolean closed =
      new java.util.concurrent.atomic.AtomicBoolean();

  private EmbeddedMongo(H2Backend backend, MongoServer server, InetSocketAddress address) {
    this.backend = backend;
    this.server = server;
    this.uri = "mongodb://127.0.0.1:" + address.getPort();
  }

  /** Starts the server on a free port with its data in {@code dataDir/mongo.mv.db}. */
  public static EmbeddedMongo start(Path dataDir) throws IOException {
    return start(dataDir, 0);
  }

  /** Starts the server on {@code port} (0 = any free one) with its data in the directory. */
  public static EmbeddedMongo start(Path dataDir, int port) throws IOException {
    Files.createDirectories(dataDir);
    Path file = dataDir.resolve("mongo.mv.db").toAbsolutePath();
    H2Backend backend;
    try {
      backend = new H2Backend(file.toString());
    } catch (MVStoreException e) {
      throw new ConfigException(
          "--data-dir "
              + dataDir.getParent()
              + " is in use: another run holds "
              + file
              + " ("
              + e.getMessage()
              + "); stop it or pick another --data-dir");
    }
    // H2 writes its file about once a second; a kill -9 lost what the server had acknowledged in
    // its last 0.3-0.4 s (measured by FaultInjectionIT). Writing it every 50 ms narrows that to
    // about one batch of the sinks; the local job writes a few documents a second.
    backend.getMvStore().setAutoCommitDelay(AUTO_COMMIT_MS);
    MongoServer server = new MongoServer(backend);
    try {
      server.bind("127.0.0.1", port);
    } catch (RuntimeException e) {
      backend.close();
      throw new ConfigException("--mongo-port " + port + " cannot be used: " + e.getMessage());
    }
    InetSocketAddress address = server.getLocalAddress();
    LOG.info(
        "Embedded MongoDB-compatible server on 127.0.0.1:{}, data in {}", address.getPort(), file);
    return new EmbeddedMongo(backend, server, address);
  }

  public String uri() {
    return uri;
  }

  /** Stops the server and closes the data file; safe to call more than once. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      server.shutdown();
      backend.close();
    }
  }
}
