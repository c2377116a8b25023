package dev.streamhighlights.job.testing;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;

/** A MongoDB-wire server in the test JVM on a random port, with a client to check what landed. */
public final class TestMongo implements AutoCloseable {

  public static final String DATABASE = "test_highlights";

  private final MongoServer server;
  private final MongoClient client;
  private final String uri;

  public TestMongo() {
    server = new MongoServer(new MemoryBackend());
    server.bind("127.0.0.1", 0);
    uri = "mongodb://127.0.0.1:" + server.getLocalAddress().getPort();
    client = MongoClients.create(uri);
  }

  public String uri() {
    return uri;
  }

  public MongoDatabase database() {
    return client.getDatabase(DATABASE);
  }

  public MongoCollection<Document> collection(String name) {
    return client.getDatabase(DATABASE).getCollection(name);
  }

  public List<Document> all(String collection) {
    return collection(collection).find().sort(new Document("_id", 1)).into(new ArrayList<>());
  }

  public void drop() {
    client.getDatabase(DATABASE).drop();
  }

  @Override
  public void close() {
    client.close();
    server.shutdownNow();
  }
}
