package dev.streamhighlights.job.model;

/**
 * What clip creation did for a highlight.
 *
 * @param status one of {@link #OFFLINE}, {@link #TIMEOUT}, {@link #FAILED} (later: created,
 *     restricted, unauthorized, ...)
 * @param clipId Twitch's clip id, null unless a clip was created
 * @param url the clip's public URL, null unless created
 * @param editUrl the clip's edit URL, null unless created
 * @param error a short reason when the clip was not created, null otherwise
 */
public record ClipResult(String status, String clipId, String url, String editUrl, String error) {

  /** Recorded without calling Twitch (backtests, runs without credentials). */
  public static final String OFFLINE = "offline";

  /** The clip stage gave up waiting. */
  public static final String TIMEOUT = "timeout";

  /** Clip creation failed for a reason given in {@code error}. */
  public static final String FAILED = "failed";

  public static ClipResult withoutClip(String status, String error) {
    return new ClipResult(status, null, null, null, error);
  }
}
