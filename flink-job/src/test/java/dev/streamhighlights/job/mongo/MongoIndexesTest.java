package dev.streamhighlights.job.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoDatabase;
import dev.streamhighlights.job.testing.TestMongo;
import java.util.ArrayList;
import org.bson.Document;
import org.junit.jupiter.api.Test;

class MongoIndexesTest {

  @Test
  void thePreflightCreatesTheIndexesTheHighlightsPageSortsBy() {
    try (TestMongo mongo = new TestMongo()) {
      MongoDatabase db = mongo.database();
      assertThat(MongoIndexes.missing(db))
          .containsExactly(
              "{detectedAt: -1, _id: -1}",
              "{channel: 1, detectedAt: -1, _id: -1}",
              "{score: -1, _id: -1}");

      MongoPreflight.check(mongo.uri(), TestMongo.DATABASE);

      assertThat(MongoIndexes.missing(db)).isEmpty();
      assertThat(
              db.getCollection(MongoSinks.HIGHLIGHTS).listIndexes().into(new ArrayList<>()).stream()
                  .map(i -> i.getString("name")))
          .contains("newest", "channel_newest", "top_score");
    }
  }

  @Test
  void creatingThemAgainChangesNothing() {
    try (TestMongo mongo = new TestMongo()) {
      assertThat(MongoIndexes.create(mongo.database())).isTrue();
      var before = mongo.collection(MongoSinks.HIGHLIGHTS).listIndexes().into(new ArrayList<>());

      assertThat(MongoIndexes.create(mongo.database())).isTrue();

      assertThat(
              mongo.collection(MongoSinks.HIGHLIGHTS).listIndexes().into(new ArrayList<Document>()))
          .isEqualTo(before);
    }
  }
}
