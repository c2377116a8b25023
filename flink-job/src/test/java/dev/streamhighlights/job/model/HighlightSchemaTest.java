package dev.streamhighlights.job.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamhighlights.job.model.HighlightSchema.Field;
import dev.streamhighlights.job.model.HighlightSchema.Type;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HighlightSchemaTest {

  private static final StoredHighlight STORED =
      new StoredHighlight(
          new Highlight(
              "alpha", "123", 120_000, 130_000, 130_000, 40, 2.0, 38.0, 26.87, 1, 60, 110_000,
              "default"),
          new ClipResult(ClipStatus.FAILED, "Xyz", null, "edit", "HTTP 500"));

  @Test
  void theDocumentHasTheFourteenFieldsInTheirStoredOrder() {
    assertThat(HighlightSchema.DOCUMENT.stream().map(Field::name))
        .containsExactly(
            "id",
            "channel",
            "channelId",
            "windowStart",
            "windowEnd",
            "detectedAt",
            "count",
            "movingAverage",
            "derivative",
            "score",
            "surges",
            "clipSeconds",
            "rule",
            "clip");
    assertThat(HighlightSchema.Clip.FIELDS.stream().map(Field::name))
        .containsExactly("status", "id", "url", "editUrl", "error");
  }

  @Test
  void aBacktestLineHasTheSameFieldsWithTheClipStatusAlone() {
    assertThat(HighlightSchema.BACKTEST_LINE.stream().map(Field::name))
        .containsExactly(
            "id",
            "channel",
            "channelId",
            "detectedAt",
            "windowStart",
            "windowEnd",
            "count",
            "movingAverage",
            "derivative",
            "score",
            "surges",
            "clipSeconds",
            "rule",
            "clipStatus");
    assertThat(HighlightSchema.CLIP_STATUS.valueOf(STORED)).isEqualTo("failed");
  }

  @Test
  void everyValueIsOfTheJavaClassItsTypePromises() {
    Map<Type, Class<?>> classes =
        Map.of(
            Type.TEXT, String.class,
            Type.TIME, Long.class,
            Type.LONG, Long.class,
            Type.INT, Integer.class,
            Type.DOUBLE, Double.class,
            Type.CLIP, ClipResult.class);
    for (Field<StoredHighlight> f : HighlightSchema.DOCUMENT) {
      assertThat(f.valueOf(STORED)).as(f.name()).isExactlyInstanceOf(classes.get(f.type()));
    }
    for (Field<ClipResult> f : HighlightSchema.Clip.FIELDS) {
      Object v = f.valueOf(STORED.clip());
      if (v != null || !f.nullable()) {
        assertThat(v).as(f.name()).isExactlyInstanceOf(classes.get(f.type()));
      }
    }
  }

  @Test
  void aClipReadsBackAsItWasWrittenWhateverItsStatus() {
    for (ClipStatus status : ClipStatus.values()) {
      for (ClipResult c :
          List.of(
              ClipResult.withoutClip(status, null),
              new ClipResult(status, "id", "url", "edit", "why"))) {
        Map<String, Object> written = new HashMap<>();
        HighlightSchema.Clip.FIELDS.forEach(f -> written.put(f.name(), f.valueOf(c)));
        assertThat(HighlightSchema.Clip.read(name -> (String) written.get(name))).isEqualTo(c);
      }
    }
    assertThatThrownBy(() -> HighlightSchema.Clip.read(name -> name.equals("status") ? "?" : null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
