package dev.streamhighlights.job.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamhighlights.job.model.ClipResult;
import dev.streamhighlights.job.model.ClipStatus;
import dev.streamhighlights.job.model.Highlight;
import dev.streamhighlights.job.model.StoredHighlight;
import dev.streamhighlights.job.testing.SampleHighlights;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The highlights topic's bytes, exactly: consumers of the topic read them. */
class HighlightRecordsTest {

  private static final Highlight HIGHLIGHT = SampleHighlights.alpha();

  @Test
  void aCreatedClipIsWrittenWithEveryFieldInTheFormatsOrder() {
    StoredHighlight s =
        new StoredHighlight(
            HIGHLIGHT,
            new ClipResult(
                ClipStatus.CREATED,
                "AbcDef",
                "https://clips.twitch.tv/AbcDef",
                "https://clips.twitch.tv/AbcDef/edit",
                null));
    assertThat(new String(HighlightRecords.value(s), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"v\":1,\"id\":\"alpha:1700000120000\",\"channel\":\"alpha\",\"channelId\":\"123\","
                + "\"windowStart\":1700000120000,\"windowEnd\":1700000130000,"
                + "\"detectedAt\":1700000130000,\"count\":40,\"movingAverage\":2.0,"
                + "\"derivative\":1.23456,\"score\":26.870057685088806,\"surges\":1,"
                + "\"clipSeconds\":60,\"rule\":\"default\",\"clip\":{\"status\":\"created\","
                + "\"id\":\"AbcDef\",\"url\":\"https://clips.twitch.tv/AbcDef\","
                + "\"editUrl\":\"https://clips.twitch.tv/AbcDef/edit\",\"error\":null}}");
    assertThat(HighlightRecords.key(s)).isEqualTo("alpha".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aClipThatWasNotMadeHasItsMissingFieldsWrittenAsNull() {
    StoredHighlight s =
        new StoredHighlight(
            HIGHLIGHT, ClipResult.withoutClip(ClipStatus.NO_CREDENTIALS, "missing secret"));
    assertThat(new String(HighlightRecords.value(s), StandardCharsets.UTF_8))
        .endsWith(
            ",\"rule\":\"default\",\"clip\":{\"status\":\"no-credentials\",\"id\":null,"
                + "\"url\":null,\"editUrl\":null,\"error\":\"missing secret\"}}");
  }
}
