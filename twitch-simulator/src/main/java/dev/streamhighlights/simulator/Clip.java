package dev.streamhighlights.simulator;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** A clip the fake Helix created; lookups show it from {@code visibleAtMillis} on. */
record Clip(
    String id,
    String broadcasterId,
    String title,
    int duration,
    long createdAtMillis,
    long visibleAtMillis) {

  /** The clip as {@code GET /helix/clips} lists it. */
  String toJson() {
    String createdAt =
        Instant.ofEpochMilli(createdAtMillis).truncatedTo(ChronoUnit.SECONDS).toString();
    return "{\"id\":\""
        + id
        + "\",\"url\":\"https://clips.twitch.tv/"
        + id
        + "\",\"embed_url\":\"https://clips.twitch.tv/embed?clip="
        + id
        + "\",\"broadcaster_id\":\""
        + Json.escape(broadcasterId)
        + "\",\"broadcaster_name\":\""
        + Json.escape(broadcasterId)
        + "\",\"creator_id\":\"42\",\"creator_name\":\"clipper\",\"video_id\":\"\","
        + "\"game_id\":\"\",\"language\":\"en\",\"title\":\""
        + Json.escape(title)
        + "\",\"view_count\":0,\"created_at\":\""
        + createdAt
        + "\",\"thumbnail_url\":\"https://clips-media-assets2.twitch.tv/"
        + id
        + "-preview-480x272.jpg\",\"duration\":"
        + duration
        + ",\"vod_offset\":null,\"is_featured\":false}";
  }
}
