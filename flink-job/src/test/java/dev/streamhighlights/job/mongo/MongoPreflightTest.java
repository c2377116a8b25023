package dev.streamhighlights.job.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;
import io.netty.channel.Channel;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class MongoPreflightTest {

  @Test
  void aWritableDatabasePassesAndKeepsNoProbe() {
    MongoServer server = new MongoServer(new MemoryBackend());
    server.bind("127.0.0.1", 0);
    String uri = "mongodb://127.0.0.1:" + server.getLocalAddress().getPort();
    try (MongoClient client = MongoClients.create(uri)) {
      assertThat(MongoPreflight.check(uri, "stream_highlights"))
          .isEqualTo(MongoPreflight.Outcome.WRITABLE);
      assertThat(
              client
                  .getDatabase("stream_highlights")
                  .getCollection(MongoPreflight.PROBE_COLLECTION)
                  .countDocuments())
          .isZero();
    } finally {
      server.shutdownNow();
    }
  }

  @Test
  void aDatabaseThatRefusesWritesStopsTheStartWithOneLine() {
    assertThatThrownBy(() -> checkAgainst(new RefusingBackend()))
        .isInstanceOf(MongoPreflight.RefusedException.class)
        .hasMessage(
            "MongoDB refused the write for database 'stream_highlights' (Unauthorized: not"
                + " authorized on stream_highlights to execute command { insert: \"preflight\""
                + " }); the job needs a user that may insert and update there (role readWrite)");
  }

  @Test
  void aValidatorThatRefusesTheJobsDocumentsStopsTheStart() {
    assertThatThrownBy(() -> checkAgainst(new ValidatingBackend()))
        .isInstanceOf(MongoPreflight.RefusedException.class)
        .hasMessage(
            "MongoDB collection 'stream_highlights.highlights' refuses the job's documents (121:"
                + " Document failed validation); change its validator or store into"
                + " another database");
  }

  /** The preflight of database stream_highlights against a server with {@code backend}. */
  private static MongoPreflight.Outcome checkAgainst(MemoryBackend backend) {
    MongoServer server = new MongoServer(backend);
    server.bind("127.0.0.1", 0);
    try {
      return MongoPreflight.check(
          "mongodb://127.0.0.1:" + server.getLocalAddress().getPort(), "stream_highlights");
    } finally {
      server.shutdownNow();
    }
  }

  @Test
  void unreachableMongoIsNoReasonNotToStart() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    long start = System.nanoTime();
    assertThat(MongoPreflight.check("mongodb://127.0.0.1:" + closed, "stream_highlights", 1_000))
        .isEqualTo(MongoPreflight.Outcome.NOT_CHECKED);
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(10_000);
  }

  @Test
  void aMalformedUriIsAConfigurationErrorThatNeverShowsThePassword() {
    assertThatThrownBy(() -> MongoPreflight.check("mongodb://user:s3cret@host:notaport/db", "db"))
        .isInstanceOf(MongoPreflight.RefusedException.class)
        .hasMessageStartingWith("the MongoDB URI is not a connection string")
        .message()
        .doesNotContain("s3cret");
  }

  @Test
  void anInvalidDatabaseNameIsAConfigurationError() {
    assertThatThrownBy(() -> MongoPreflight.check("mongodb://127.0.0.1:1", "my.db"))
        .isInstanceOf(MongoPreflight.RefusedException.class)
        .hasMessage(
            "'my.db' is not a MongoDB database name: 1-63 bytes, no spaces, none of"
                + " / \\ . \" $ * < > : ? and no vertical bar");
  }

  @Test
  void databaseNamesFollowMongoDbsRules() {
    assertThat(MongoPreflight.isValidDatabaseName("stream_highlights")).isTrue();
    assertThat(MongoPreflight.isValidDatabaseName("a".repeat(63))).isTrue();
    assertThat(MongoPreflight.isValidDatabaseName("Test-1")).isTrue();
    for (String bad :
        new String[] {
          "",
          "a".repeat(64),
          "é".repeat(32),
          "a b",
          "a/b",
          "a\\b",
          "a.b",
          "a\"b",
          "a$b",
          "a*b",
          "a<b",
          "a>b",
          "a:b",
          "a|b",
          "a?b",
          "a\0b",
          "a\tb",
          null
        }) {
      assertThat(MongoPreflight.isValidDatabaseName(bad)).as("'%s'", bad).isFalse();
    }
  }

  /**
   * A server whose 'highlights' collection has a validator that refuses every document, as MongoDB
   * reports it (listCollections shows the validator; an insert fails with code 121).
   */
  private static final class ValidatingBackend extends MemoryBackend {
    @Override
    public Document handleCommand(
        Channel channel, String databaseName, String command, Document query) {
      if (command.equals("listCollections")) {
        Document highlights =
            new Document("name", "highlights")
                .append("type", "collection")
                .append(
                    "options",
                    new Document("validator", new Document("count", new Document("$lt", 0))));
        return new Document(
                "cursor",
                new Document("id", 0L)
                    .append("ns", databaseName + ".$cmd.listCollections")
                    .append("firstBatch", java.util.List.of(highlights)))
            .append("ok", 1.0);
      }
      if (command.equals("insert") && "highlights".equals(query.get(command))) {
        throw new MongoServerError(121, "DocumentValidationFailure", "Document failed validation");
      }
      return super.handleCommand(channel, databaseName, command, query);
    }
  }

  /** A server whose user has no write role: every insert is refused as MongoDB refuses it. */
  private static final class RefusingBackend extends MemoryBackend {
    @Override
    public Document handleCommand(
        Channel channel, String databaseName, String command, Document query) {
      if (command.equals("insert") || command.equals("update")) {
        throw new MongoServerError(
            13,
            "Unauthorized",
            "not authorized on "
                + databaseName
                + " to execute command { "
                + command
                + ": \""
                + query.get(command)
                + "\" }");
      }
      return super.handleCommand(channel, databaseName, command, query);
    }
  }
}
