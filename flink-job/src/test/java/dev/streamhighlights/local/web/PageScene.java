package dev.streamhighlights.local.web;

import static dev.streamhighlights.local.web.PageData.WINDOW;
import static dev.streamhighlights.local.web.PageData.chat;
import static dev.streamhighlights.local.web.PageData.created;
import static dev.streamhighlights.local.web.PageData.highlight;

import dev.streamhighlights.job.model.ClipResult;
import dev.streamhighlights.job.model.ClipStatus;
import dev.streamhighlights.job.model.StoredHighlight;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A believable evening of highlights for the browser test and the screenshots: six channels from
 * quiet to busy over the last two hours, each highlight on a surge of its channel's stored chat,
 * clips created or refused the ways Twitch refuses them, and one channel whose name is HTML.
 */
final class PageScene {

  /** A channel name that a page building HTML from data would turn into markup. */
  static final String HTML_CHANNEL = "<b>bold</b><img src=x onerror=\"window.__xss=1\">";

  final long now;
  final List<StoredHighlight> highlights = new ArrayList<>();

  /** Each channel's usual messages per 10 s. */
  final Map<String, Double> base = new LinkedHashMap<>();

  PageScene(long nowMillis) {
    this.now = nowMillis - nowMillis % WINDOW;
    base.put("frostplays", 6.0);
    base.put("pixelqueen", 14.0);
    base.put("speedrun_sam", 3.0);
    base.put("chillbeats", 9.0);
    base.put("rankedrhea", 22.0);
    base.put("nightowl_tv", 4.0);
    // minutes ago, channel, peak, clip
    add(2, "frostplays", 58, created("FrostyClutchAce-x1"));
    add(5, "rankedrhea", 131, created("RheaPentaKill-k9"));
    add(
        9,
        "pixelqueen",
        77,
        ClipResult.withoutClip(
            ClipStatus.RESTRICTED, "the broadcaster does not allow clips (Helix 403)"));
    add(14, "speedrun_sam", 29, created("SamWorldRecord-p2"));
    add(
        21,
        "chillbeats",
        41,
        ClipResult.withoutClip(ClipStatus.FAILED, "the clip did not appear on Twitch within 15 s"));
    add(27, "nightowl_tv", 24, created("NightOwlJumpscare-q7"));
    add(33, "rankedrhea", 104, created("RheaComeback-z3"));
    add(
        41,
        "frostplays",
        45,
        ClipResult.withoutClip(ClipStatus.CHANNEL_OFFLINE, "not live when the clip was requested"));
    add(52, "pixelqueen", 70, created("PixelRaid-m4"));
    add(
        64,
        "speedrun_sam",
        21,
        ClipResult.withoutClip(ClipStatus.STALE, "the moment was over before its clip was due"));
    add(78, "chillbeats", 38, created("ChillDrop-b8"));
    add(95, "nightowl_tv", 19, created("NightOwlCat-t5"));
  }

  private void add(int minutesAgo, String channel, long peak, ClipResult clip) {
    long start = now - minutesAgo * 60_000L - WINDOW;
    double avg = base.get(channel);
    double noise = Math.sqrt(avg) + 1;
    double score = Math.round((peak - avg) / noise * 100) / 100.0;
    highlights.add(highlight(channel, start, peak, avg, score, clip));
  }

  /** Writes the highlights and two hours of each channel's chat around them. */
  void store(PageData data) {
    data.storeAll(highlights);
    int seed = 1;
    for (Map.Entry<String, Double> c : base.entrySet()) {
      data.activity(
          c.getKey(), now - 2 * 3_600_000L, now, surgesOf(seed++, c.getValue(), of(c.getKey())));
    }
    long old = now - 3 * 3_600_000L;
    data.store(highlight(HTML_CHANNEL, old, 33, 4, 7.5, created("HtmlName-h1")));
    data.activity(HTML_CHANNEL, old - 600_000, old + 300_000, chat(99, 4, 33, old));
  }

  /** Chat of {@code base} per window rising to each highlight's own count at its window. */
  private static PageData.Counts surgesOf(long seed, double base, List<StoredHighlight> surges) {
    return t -> {
      long best = chat(seed, base, 0).at(t);
      for (StoredHighlight h : surges) {
        best =
            Math.max(
                best, chat(seed, base, h.highlight().count(), h.highlight().windowStart()).at(t));
      }
      return best;
    };
  }

  /** The scene's highlights of {@code channel}, newest first. */
  List<StoredHighlight> of(String channel) {
    return highlights.stream()
        .filter(h -> h.highlight().channel().equals(channel))
        .sorted((a, b) -> Long.compare(b.highlight().detectedAt(), a.highlight().detectedAt()))
        .toList();
  }
}
