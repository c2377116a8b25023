package dev.streamhighlights.job.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamhighlights.job.model.ClipResult;
import dev.streamhighlights.job.model.HighlightSchema;
import dev.streamhighlights.job.model.HighlightSchema.Field;
import dev.streamhighlights.job.model.HighlightSchema.Type;
import dev.streamhighlights.job.model.StoredHighlight;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The highlights topic's record format: one JSON object per highlight with the outcome of its clip
 * request, the same fields as the MongoDB document ({@link HighlightSchema#DOCUMENT}). Key: the
 * channel login. Record timestamp: {@code detectedAt}. Times are epoch milliseconds; {@code v} is
 * the format's version.
 */
public final class HighlightRecords {

  /** Version of the value format; bumped only for changes a reader must know about. */
  public static final int VERSION = 1;

  private static final ObjectMapper JSON = new ObjectMapper();

  private HighlightRecords() {}

  public static byte[] key(StoredHighlight s) {
    return s.highlight().channel().getBytes(StandardCharsets.UTF_8);
  }

  public static byte[] value(StoredHighlight s) {
    try {
      return JSON.writeValueAsBytes(document(s));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write highlight " + s.highlight().id(), e);
    }
  }

  /** The version, then the fields {@link HighlightSchema#DOCUMENT} maps, times as epoch ms. */
  static Map<String, Object> document(StoredHighlight s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("v", VERSION);
    m.putAll(json(HighlightSchema.DOCUMENT, s));
    return m;
  }

  private static <T> Map<String, Object> json(List<Field<T>> fields, T record) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (Field<T> f : fields) {
      Object v = f.valueOf(record);
      m.put(
          f.name(), f.type() == Type.CLIP ? json(HighlightSchema.Clip.FIELDS, (ClipResult) v) : v);
    }
    return m;
  }
}
