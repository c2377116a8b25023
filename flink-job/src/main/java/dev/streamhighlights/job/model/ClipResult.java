package dev.streamhighlights.job.model;

/**
 * What clip creation did for a highlight.
 *
 * @param status {@link #CREATED}, or why there is no clip: {@link #FAILED}, {@link #RESTRICTED},
 *     {@link #CHANNEL_OFFLINE}, {@link #RATE_LIMITED}, {@link #UNAUTHORIZED}, {@link
 *     #NO_CREDENTIALS}, {@link #TIMEOUT}, or {@link #OFFLINE} (not requested)
 * @param clipId Twitch's clip id, null unless a clip was created
 * @param url the clip's public URL, null unless created
 * @param editUrl the clip's edit URL, null unless created
 * @param error a short reason when the clip was not created, null otherwise
 */
public record ClipResult(String status, String clipId, String url, String editUrl, String error) {

  /** Recorded without calling Twitch (backtests, the demo). */
  public static final String OFFLINE = "offline";

  /** The clip exists on Twitch (confirmed with GET /helix/clips). */
  public static final String CREATED = "created";

  /** The broadcaster does not allow clips (Helix 403). */
  public static final String RESTRICTED = "restricted";

  /** The channel was not live when the clip was requested (Helix 404). */
  public static final String CHANNEL_OFFLINE = "channel-offline";

  /** Twitch's rate limit did not let the request through before its deadline. */
  public static final String RATE_LIMITED = "rate-limited";

  /** The user token was refused and could not be refreshed. */
  public static final String UNAUTHORIZED = "unauthorized";

  /** No Twitch credentials were configured; the highlight is stored without a clip. */
  public static final String NO_CREDENTIALS = "no-credentials";

  /** The clip stage gave up waiting. */
  public static final String TIMEOUT = "timeout";

  /** Clip creation failed for a reason given in {@code error}. */
  public static final String FAILED = "failed";

  /**
   * The moment was over by the time its clip could be requested (a clip covers the stream as it is
   * now): stored, never sent to Twitch.
   */
  public static final String STALE = "stale";

  /**
   * An earlier run claimed this clip and stopped before it knew the outcome: a clip may or may not
   * exist, and the request is not repeated.
   */
  public static final String INTERRUPTED = "interrupted";

  /** Every status, for metrics. */
  public static final java.util.List<String> STATUSES =
      java.util.List.of(
          CREATED,
          FAILED,
          RESTRICTED,
          CHANNEL_OFFLINE,
          RATE_LIMITED,
          UNAUTHORIZED,
          NO_CREDENTIALS,
          TIMEOUT,
          OFFLINE,
          STALE,
          INTERRUPTED);

  /** What a restored run records for a clip an earlier run claimed but did not finish. */
  public static ClipResult interrupted() {
    return withoutClip(INTERRUPTED, "requested by an earlier run that stopped; not repeated");
  }

  public static ClipResult withoutClip(String status, String error) {
    return new ClipResult(status, null, null, null, error);
  }
}
