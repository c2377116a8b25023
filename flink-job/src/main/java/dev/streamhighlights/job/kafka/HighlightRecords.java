package dev.streamhighlights.job.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamhighlights.job.model.ClipResult;
import dev.streamhighlights.job.model.Highlight;
import dev.streamhighlights.job.model.StoredHighlight;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The highlights topic's record format: one JSON object per highlight with the outcome of its clip
 * request, the same fields as the MongoDB document. Key: the channel login. Record timestamp:
 * {@code detectedAt}. Times are epoch milliseconds; {@code v} is the format's version.
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

  static Map<String, Object> document(StoredHighlight s) {
    Highlight h = s.highlight();
    ClipResult c = s.clip();
    Map<String, Object> clip = new LinkedHashMap<>();
    clip.put("status", c.status().wire());
    clip.put("id", c.clipId());
    clip.put("url", c.url());
    clip.put("editUrl", c.editUrl());
    clip.put("error", c.error());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("v", VERSION);
    m.put("id", h.id());
    m.put("channel", h.channel());
    m.put("channelId", h.channelId());
    m.put("windowStart", h.windowStart());
    m.put("windowEnd", h.windowEnd());
    m.put("detectedAt", h.detectedAt());
    m.put("count", h.count());
    m.put("movingAverage", h.movingAverage());
    m.put("derivative", h.derivative());
    m.put("score", h.score());
    m.put("surges", h.surges());
    m.put("clipSeconds", h.clipSeconds());
    m.put("rule", h.rule());
    m.put("clip", clip);
    return m;
  }
}
