package dev.streamhighlights.job.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.model.UpdateOneModel;
import dev.streamhighlights.job.model.ChannelActivity;
import dev.streamhighlights.job.model.ClipResult;
import dev.streamhighlights.job.model.ClipStatus;
import dev.streamhighlights.job.model.Highlight;
import dev.streamhighlights.job.model.StoredHighlight;
import dev.streamhighlights.job.testing.SampleHighlights;
import org.bson.BsonDocument;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;
import org.junit.jupiter.api.Test;

/**
 * The stored documents exactly, BSON types included (extended JSON shows them): existing data and
 * its readers depend on them.
 */
class MongoDocumentsTest {

  private static final JsonWriterSettings TYPED =
      JsonWriterSettings.builder().outputMode(JsonMode.EXTENDED).build();

  private static final Highlight HIGHLIGHT = SampleHighlights.alpha();

  private static final String FIELDS =
      "\"channel\": \"alpha\", \"channelId\": \"123\","
          + " \"windowStart\": {\"$date\": {\"$numberLong\": \"1700000120000\"}},"
          + " \"windowEnd\": {\"$date\": {\"$numberLong\": \"1700000130000\"}},"
          + " \"detectedAt\": {\"$date\": {\"$numberLong\": \"1700000130000\"}},"
          + " \"count\": {\"$numberLong\": \"40\"}, \"movingAverage\": {\"$numberDouble\": \"2.0\"},"
          + " \"derivative\": {\"$numberDouble\": \"1.23456\"},"
          + " \"score\": {\"$numberDouble\": \"26.870057685088806\"},"
          + " \"surges\": {\"$numberInt\": \"1\"}, \"clipSeconds\": {\"$numberInt\": \"60\"},"
          + " \"rule\": \"default\"";

  private static final String CREATED_CLIP =
      "{\"status\": \"created\", \"id\": \"AbcDef\", \"url\": \"https://clips.twitch.tv/AbcDef\","
          + " \"editUrl\": \"https://clips.twitch.tv/AbcDef/edit\", \"error\": null}";

  private static StoredHighlight created() {
    return new StoredHighlight(
        HIGHLIGHT,
        new ClipResult(
            ClipStatus.CREATED,
            "AbcDef",
            "https://clips.twitch.tv/AbcDef",
            "https://clips.twitch.tv/AbcDef/edit",
            null));
  }

  @Test
  void aHighlightIsStoredWithDatesLongsIntsDoublesAndItsClipInThisOrder() {
    assertThat(MongoDocuments.highlight(created()).toJson(TYPED))
        .isEqualTo(
            "{\"_id\": \"alpha:1700000120000\", " + FIELDS + ", \"clip\": " + CREATED_CLIP + "}");
  }

  @Test
  void aClipWithoutClipStoresNullsNotAbsentFields() {
    ClipResult failed = new ClipResult(ClipStatus.FAILED, "Xyz", null, "edit", "HTTP 500");
    assertThat(MongoDocuments.clip(failed).toJson(TYPED))
        .isEqualTo(
            "{\"status\": \"failed\", \"id\": \"Xyz\", \"url\": null, \"editUrl\": \"edit\","
                + " \"error\": \"HTTP 500\"}");
    assertThat(MongoDocuments.clip(ClipResult.interrupted()).toJson(TYPED))
        .isEqualTo(
            "{\"status\": \"interrupted\", \"id\": null, \"url\": null, \"editUrl\": null,"
                + " \"error\": \"requested by an earlier run that stopped; not repeated\"}");
  }

  @Test
  void theHighlightSinkWritesTheFieldsOnceAndAlwaysTheLatestClip() {
    UpdateOneModel<BsonDocument> update =
        (UpdateOneModel<BsonDocument>) MongoSinks.highlightUpsert().serialize(created(), null);
    assertThat(((BsonDocument) update.getFilter()).toJson(TYPED))
        .isEqualTo("{\"_id\": \"alpha:1700000120000\"}");
    assertThat(((BsonDocument) update.getUpdate()).toJson(TYPED))
        .isEqualTo(
            "{\"$set\": {\"clip\": " + CREATED_CLIP + "}, \"$setOnInsert\": {" + FIELDS + "}}");
    assertThat(update.getOptions().isUpsert()).isTrue();
  }

  @Test
  void aWindowIsStoredAsItsCountInTheChannelsHour() {
    // 12:02:10 UTC, 130 s into the hour that starts at 1699999200000.
    UpdateOneModel<BsonDocument> update =
        MongoDocuments.activity(
            new ChannelActivity("alpha", "123", 1_699_999_330_000L, 1_699_999_340_000L, 40, true));
    assertThat(((BsonDocument) update.getFilter()).toJson(TYPED))
        .isEqualTo("{\"_id\": \"alpha:1699999200000\"}");
    assertThat(((BsonDocument) update.getUpdate()).toJson(TYPED))
        .isEqualTo(
            "{\"$setOnInsert\": {\"channel\": \"alpha\", \"channelId\": \"123\","
                + " \"hour\": {\"$date\": {\"$numberLong\": \"1699999200000\"}},"
                + " \"windowMillis\": {\"$numberInt\": \"10000\"}},"
                + " \"$max\": {\"counts.130\": {\"$numberInt\": \"40\"}},"
                + " \"$addToSet\": {\"partial\": {\"$numberInt\": \"130\"}}}");
    assertThat(update.getOptions().isUpsert()).isTrue();
  }
}
