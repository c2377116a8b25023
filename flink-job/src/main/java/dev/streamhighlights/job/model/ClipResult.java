package dev.streamhighlights.job.model;

/**
 * What clip creation did for a highlight.
 *
 * @param status {@link ClipStatus#CREATED}, or why there is no clip
 * @param clipId Twitch's clip id, null unless a clip was created
 * @param url the clip's public URL, null unless created
 * @param editUrl the clip's edit URL, null unless created
 * @param error a short reason when the clip was not created, null otherwise
 */
public record ClipResult(
    ClipStatus status, String clipId, String url, String editUrl, String error) {

  /** What a restored run records for a clip an earlier run claimed but did not finish. */
  public static ClipResult interrupted() {
    return withoutClip(
        ClipStatus.INTERRUPTED, "requested by an earlier run that stopped; not repeated");
  }

  public static ClipResult withoutClip(ClipStatus status, String error) {
    return new ClipResult(status, null, null, null, error);
  }
}
