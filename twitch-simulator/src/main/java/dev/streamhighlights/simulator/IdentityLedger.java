package dev.streamhighlights.simulator;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Twitch's limits per account (login name), across all of that account's connections: channel JOINs
 * in a sliding window, and channels held joined at once. Twitch counts per account, not per
 * connection, so opening more connections does not buy more joins.
 */
final class IdentityLedger {

  /** What a JOIN did to the account's limits. */
  enum Verdict {
    ALLOWED,
    JOIN_RATE_BROKEN,
    CHANNEL_CAP_BROKEN
  }

  private final ChatSettings settings;
  private final Map<String, Account> accounts = new HashMap<>(); // guarded by this

  private static final class Account {
    final ArrayDeque<Long> joinTimes = new ArrayDeque<>();
    int held;
    int maxHeld;
    long joins;
  }

  IdentityLedger(ChatSettings settings) {
    this.settings = settings;
  }

  /**
   * Counts a JOIN of {@code channels} channels by {@code nick}, {@code newlyHeld} of them not yet
   * joined on that connection, unless it breaks a limit; a JOIN that breaks one counts for nothing.
   */
  synchronized Verdict join(String nick, int channels, int newlyHeld) {
    Account a = accounts.computeIfAbsent(nick, n -> new Account());
    ChatSettings.Limits limits = settings.limitsOf(nick);
    long now = System.nanoTime();
    while (!a.joinTimes.isEmpty() && now - a.joinTimes.peekFirst() >= limits.joinWindowNanos()) {
      a.joinTimes.pollFirst();
    }
    if (a.joinTimes.size() + channels > limits.joins()) {
      return Verdict.JOIN_RATE_BROKEN;
    }
    if (a.held + newlyHeld > limits.channelCap()) {
      return Verdict.CHANNEL_CAP_BROKEN;
    }
    for (int i = 0; i < channels; i++) {
      a.joinTimes.addLast(now);
    }
    a.joins += channels;
    a.held += newlyHeld;
    a.maxHeld = Math.max(a.maxHeld, a.held);
    return Verdict.ALLOWED;
  }

  /** The account no longer holds {@code channels} channels (PART, or its connection closed). */
  synchronized void released(String nick, int channels) {
    Account a = accounts.get(nick);
    if (a != null && channels > 0) {
      a.held = Math.max(0, a.held - channels);
    }
  }

  synchronized void loggedIn(String nick) {
    accounts.computeIfAbsent(nick, n -> new Account());
  }

  /** Every nick that logged in, sorted. */
  synchronized Set<String> nicks() {
    return new TreeSet<>(accounts.keySet());
  }

  synchronized int maxHeld(String nick) {
    Account a = accounts.get(nick);
    return a == null ? 0 : a.maxHeld;
  }

  synchronized long joins(String nick) {
    Account a = accounts.get(nick);
    return a == null ? 0 : a.joins;
  }
}
