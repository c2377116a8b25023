package dev.streamhighlights.job.twitch;

import java.io.Serializable;
import java.time.Duration;

/**
 * How clips are requested.
 *
 * @param helixBaseUrl e.g. https://api.twitch.tv/helix
 * @param authBaseUrl e.g. https://id.twitch.tv/oauth2
 * @param clipSeconds clip duration asked of Twitch (5-60)
 * @param confirmWithin how long a created clip may take to appear in {@code GET /helix/clips}
 * @param pollInterval how often to look for it meanwhile
 * @param requestDeadline how long creation may take with retries (429 waits, 5xx backoff)
 * @param requestTimeout timeout of one HTTP request
 * @param maxBackoff cap of the exponential backoff between retries
 */
public record HelixSettings(
    String helixBaseUrl,
    String authBaseUrl,
    int clipSeconds,
    Duration confirmWithin,
    Duration pollInterval,
    Duration requestDeadline,
    Duration requestTimeout,
    Duration maxBackoff)
    implements Serializable {}
