package dev.streamhighlights.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.streamhighlights.job.config.ConfigException;
import java.nio.file.Path;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedMongoTest {

  @TempDir Path dataDir;

  @Test
  void keepsDocumentsAcrossRestartsInTheDataDirectory() throws Exception {
    try (EmbeddedMongo mongo = EmbeddedMongo.start(dataDir)) {
      assertThat(mongo.uri()).startsWith("mongodb://127.0.0.1:");
      try (MongoClient client = MongoClients.create(mongo.uri())) {
        client.getDatabase("db").getCollection("c").insertOne(new Document("_id", "kept"));
      }
    }
    assertThat(dataDir.resolve("mongo.mv.db")).exists();

    try (EmbeddedMongo mongo = EmbeddedMongo.start(dataDir);
        MongoClient client = MongoClients.create(mongo.uri())) {
      assertThat(client.getDatabase("db").getCollection("c").find().first())
          .isEqualTo(new Document("_id", "kept"));
    }
  }

  @Test
  void aSecondRunOnTheSameDataDirectoryGetsAClearError() throws Exception {
    try (EmbeddedMongo first = EmbeddedMongo.start(dataDir)) {
      assertThatThrownBy(() -> EmbeddedMongo.start(dataDir))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("is in use");
    }
  }
}
