package dev.streamhighlights.job.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamhighlights.job.model.ChannelActivity;
import dev.streamhighlights.job.model.ClipResult;
import dev.streamhighlights.job.model.ClipStatus;
import dev.streamhighlights.job.model.Highlight;
import dev.streamhighlights.job.model.StoredHighlight;
import dev.streamhighlights.job.testing.TestMongo;
import java.util.List;
import java.util.Optional;
import org.bson.BsonDocument;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What replays do to stored documents, against a MongoDB-wire server: the writes the sinks send and
 * the clip ledger's claims.
 */
class MongoUpsertTest {

  private static TestMongo mongo;

  @BeforeAll
  static void start() {
    mongo = new TestMongo();
  }

  @AfterAll
  static void stop() {
    mongo.close();
  }

  @BeforeEach
  void clean() {
    mongo.drop();
  }

  @Test
  void aStoredCountNeverDecreases() {
    write(new ChannelActivity("a", "1", 0, 10_000, 40));
    // The same window restored from a checkpoint, firing again with the messages it had then.
    write(new ChannelActivity("a", "1", 0, 10_000, 25));
    assertThat(ActivityReader.all(mongo.database()))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.count()).isEqualTo(40L);
              assertThat(a.channel()).isEqualTo("a");
            });
    write(new ChannelActivity("a", "1", 0, 10_000, 41));
    assertThat(ActivityReader.all(mongo.database()).get(0).count()).isEqualTo(41L);
  }

  @Test
  void aChannelsWindowsOfAnHourShareOneDocumentAndReplaysChangeNothing() {
    long hour = 1_700_002_800_000L; // an hour's start
    List<ChannelActivity> windows =
        List.of(
            new ChannelActivity("a", "1", hour - 10_000, hour, 7), // the hour before
            new ChannelActivity("a", "1", hour, hour + 10_000, 3, true),
            new ChannelActivity("a", "1", hour + 20_000, hour + 30_000, 3_000_000_000L),
            new ChannelActivity("a", "1", hour + 3_590_000, hour + 3_600_000, 9),
            new ChannelActivity("b", "2", hour + 20_000, hour + 30_000, 5));
    windows.forEach(MongoUpsertTest::write);
    windows.forEach(MongoUpsertTest::write);

    assertThat(mongo.all(MongoSinks.ACTIVITY_HOURLY))
        .extracting(d -> d.getString("_id"))
        .containsExactly("a:" + (hour - 3_600_000), "a:" + hour, "b:" + hour);
    assertThat(ActivityReader.windows(mongo.database(), "a", hour, hour + 3_600_000))
        .containsExactlyElementsOf(windows.subList(1, 4));
    assertThat(ActivityReader.all(mongo.database())).containsExactlyElementsOf(windows);
  }

  @Test
  void windowsThatAreNotWholeSecondsAreReadBackExactly() {
    List<ChannelActivity> windows =
        List.of(
            new ChannelActivity("a", "1", 3_598_500, 3_600_000, 1),
            new ChannelActivity("a", "1", 3_600_000, 3_601_500, 2),
            new ChannelActivity("a", "1", 3_601_500, 3_603_000, 3));
    windows.forEach(MongoUpsertTest::write);
    assertThat(ActivityReader.all(mongo.database())).containsExactlyElementsOf(windows);
  }

  @Test
  void aRepeatedHighlightKeepsItsFieldsAndTakesTheClipOutcome() {
    Highlight first = highlight(60);
    writeHighlight(new StoredHighlight(first, ClipResult.withoutClip(ClipStatus.TIMEOUT, null)));
    Highlight again = highlight(35);
    writeHighlight(
        new StoredHighlight(again, new ClipResult(ClipStatus.CREATED, "c1", "u", "e", null)));
    Document d = mongo.all(MongoSinks.HIGHLIGHTS).get(0);
    assertThat(d.getLong("count")).isEqualTo(60L);
    assertThat(d.get("clip", Document.class).getString("status"))
        .isEqualTo(ClipStatus.CREATED.wire());
  }

  @Test
  void theLedgerClaimsOnceAndRemembersTheOutcome() throws Exception {
    Highlight h = highlight(60);
    try (var ledger = MongoClipLedger.factory(mongo.uri(), TestMongo.DATABASE).open();
        var restarted = MongoClipLedger.factory(mongo.uri(), TestMongo.DATABASE).open()) {
      assertThat(ledger.claim(h).get()).isEmpty();
      // Claimed, outcome not yet known: a restarted job must not request it again.
      assertThat(restarted.claim(h).get())
          .get()
          .extracting(ClipResult::status)
          .isEqualTo(ClipStatus.INTERRUPTED);
      ClipResult created = new ClipResult(ClipStatus.CREATED, "c1", "url", "edit", null);
      ledger.record(h, created).get();
      assertThat(restarted.claim(h).get()).isEqualTo(Optional.of(created));
    }
  }

  private static Highlight highlight(long count) {
    return new Highlight("a", "1", 0, 10_000, 10_000, count, 5, 30, 4, 1, 60, 0, "default");
  }

  private static void write(ChannelActivity a) {
    apply(MongoSinks.ACTIVITY_HOURLY, MongoDocuments.activity(a));
  }

  private static void writeHighlight(StoredHighlight h) {
    apply(MongoSinks.HIGHLIGHTS, MongoSinks.update(MongoDocuments.highlight(h), "clip"));
  }

  private static void apply(
      String collection, com.mongodb.client.model.UpdateOneModel<BsonDocument> update) {
    mongo.collection(collection).withDocumentClass(BsonDocument.class).bulkWrite(List.of(update));
  }
}
