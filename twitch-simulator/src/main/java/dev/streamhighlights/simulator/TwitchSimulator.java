package dev.streamhighlights.simulator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPInputStream;

/**
 * Twitch on 127.0.0.1 for the demo: IRC chat (the real protocol over TCP) for simulated channels,
 * and Helix with the live stream list (those channels, busiest first), clip creation and the OAuth
 * endpoints. Chat is either generated (channels from quiet to busy, with surges, raids and spam
 * floods) or replayed from a {@code channel,epoch_millis} log at real or accelerated speed.
 */
public final class TwitchSimulator implements AutoCloseable {

  /** The app and user credentials the simulated Twitch accepts. */
  public static final String CLIENT_ID = "demo-client-id";

  public static final String CLIENT_SECRET = "demo-client-secret";
  public static final String USER_TOKEN = "demo-user-token";
  public static final String REFRESH_TOKEN = "demo-refresh-token";

  private static final String[] WORDS = {
    "pixel", "frost", "nova", "lucky", "turbo", "sage", "ember", "dusk", "rally", "mango", "comet",
    "blitz", "echo", "maple", "onyx", "raven", "solar", "tango", "vivid", "zephyr", "atlas", "bolt",
    "cinder", "drift", "fable", "glint", "haze", "iris", "jolt", "kilo"
  };
  private static final String[] GAMES = {
    "plays", "speedruns", "tv", "gaming", "live", "arena", "hq", "studio", "cast", "lab"
  };

  private final ChatServer chat;
  private final HelixServer helix;
  private final Thread driver;
  private volatile boolean stopped;
  private volatile long messagesSent;
  private final List<String> channels;

  private TwitchSimulator(
      ChatServer chat, HelixServer helix, List<String> channels, Runnable loop) {
    this.chat = chat;
    this.helix = helix;
    this.channels = channels;
    this.driver = new Thread(loop, "twitch-simulator");
    driver.setDaemon(true);
  }

  /** Generated chat for {@code channels} channels at about {@code messagesPerSecond} in all. */
  public static TwitchSimulator generated(int channels, double messagesPerSecond, long seed) {
    Random random = new Random(seed);
    List<SimulatedChannel> list = new ArrayList<>();
    double[] weights = new double[channels];
    double sum = 0;
    for (int c = 0; c < channels; c++) {
      weights[c] = Math.pow(100.0, random.nextDouble()); // quiet to busy, two orders of magnitude
      sum += weights[c];
    }
    for (int c = 0; c < channels; c++) {
      String name = WORDS[c % WORDS.length] + GAMES[(c / WORDS.length + c) % GAMES.length];
      if (c >= WORDS.length * GAMES.length) {
        name += c;
      }
      list.add(
          new SimulatedChannel(
              name, String.valueOf(500_000 + c), messagesPerSecond * weights[c] / sum, seed + c));
    }
    list.sort(Comparator.comparingDouble((SimulatedChannel ch) -> -ch.baseRate));
    ChatServer chat = ChatServer.start();
    HelixServer helix = HelixServer.start(CLIENT_ID, CLIENT_SECRET, USER_TOKEN, REFRESH_TOKEN);
    List<String> names = list.stream().map(ch -> ch.name).toList();
    list.forEach(ch -> chat.setRoomId(ch.name, ch.roomId));
    helix.setLive(names);
    TwitchSimulator[] self = new TwitchSimulator[1];
    self[0] = new TwitchSimulator(chat, helix, names, () -> self[0].generate(list, seed));
    self[0].driver.start();
    return self[0];
  }

  /**
   * Replays a chat log ({@code channel,epoch_millis}, gzip when the name ends in .gz) from now on,
   * {@code speed} times faster than recorded. Message times keep their recorded spacing, so event
   * time runs {@code speed} times faster than the wall clock.
   */
  public static TwitchSimulator replay(Path log, double speed) throws IOException {
    List<long[]> rows = new ArrayList<>();
    List<String> names = new ArrayList<>();
    Map<String, Integer> index = new HashMap<>();
    try (BufferedReader in = open(log)) {
      String line = in.readLine(); // header
      while ((line = in.readLine()) != null) {
        int comma = line.indexOf(',');
        if (comma <= 0) {
          continue;
        }
        try {
          long ts = Long.parseLong(line.substring(comma + 1).trim());
          String name = channelName(line.substring(0, comma));
          int i =
              index.computeIfAbsent(
                  name,
                  n -> {
                    names.add(n);
                    return names.size() - 1;
                  });
          rows.add(new long[] {ts, i});
        } catch (NumberFormatException e) {
          // a malformed row: skipped
        }
      }
    }
    rows.sort(Comparator.comparingLong(r -> r[0]));
    ChatServer chat = ChatServer.start();
    HelixServer helix = HelixServer.start(CLIENT_ID, CLIENT_SECRET, USER_TOKEN, REFRESH_TOKEN);
    for (int i = 0; i < names.size(); i++) {
      chat.setRoomId(names.get(i), String.valueOf(600_000 + i));
    }
    helix.setLive(names);
    TwitchSimulator[] self = new TwitchSimulator[1];
    self[0] =
        new TwitchSimulator(
            chat, helix, List.copyOf(names), () -> self[0].replay(rows, names, speed));
    self[0].driver.start();
    return self[0];
  }

  /** Twitch logins: lower case letters, digits and underscores, at most 25. */
  static String channelName(String raw) {
    String n = raw.trim().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    return n.length() > 25 ? n.substring(n.length() - 25) : n;
  }

  private void generate(List<SimulatedChannel> list, long seed) {
    Random random = new Random(seed ^ 0x5DEECE66DL);
    long start = System.currentTimeMillis();
    long previous = 0;
    while (!stopped) {
      long now = System.currentTimeMillis();
      long offset = now - start;
      for (SimulatedChannel ch : list) {
        if (ch.raidStartsIn(previous, offset)) {
          chat.sendUserNotice(ch.name, "raid", now);
        }
        double perTick =
            ch.baseRate
                * ch.momentAt(offset).factor
                * ch.wobble(offset)
                * (offset - previous)
                / 1000.0;
        int n = poisson(random, perTick);
        if (n > 0) {
          messagesSent += chat.sendMessages(ch.name, now, n);
        }
      }
      previous = offset;
      sleep(100);
    }
  }

  private void replay(List<long[]> rows, List<String> names, double speed) {
    if (rows.isEmpty()) {
      return;
    }
    // The log starts once the job reads every channel (or after a minute), so nothing is lost to
    // joins still in progress.
    chat.awaitJoined(names, Duration.ofMinutes(1));
    long first = rows.get(0)[0];
    long start = System.currentTimeMillis();
    int i = 0;
    while (!stopped && i < rows.size()) {
      long now = System.currentTimeMillis();
      long recordedNow = first + (long) ((now - start) * speed);
      while (i < rows.size() && rows.get(i)[0] <= recordedNow) {
        long[] r = rows.get(i++);
        messagesSent += chat.sendMessages(names.get((int) r[1]), start + (r[0] - first), 1);
      }
      sleep(20);
    }
  }

  private static int poisson(Random random, double mean) {
    if (mean > 30) {
      return (int) Math.max(0, Math.round(mean + Math.sqrt(mean) * random.nextGaussian()));
    }
    double l = Math.exp(-mean);
    double p = 1.0;
    int k = 0;
    do {
      k++;
      p *= random.nextDouble();
    } while (p > l);
    return k - 1;
  }

  private void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      stopped = true;
      Thread.currentThread().interrupt();
    }
  }

  private static BufferedReader open(Path file) throws IOException {
    InputStream in = Files.newInputStream(file);
    if (file.toString().endsWith(".gz")) {
      in = new GZIPInputStream(in);
    }
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
  }

  public URI ircUri() {
    return chat.ircUri();
  }

  public String helixBaseUrl() {
    return helix.helixBaseUrl();
  }

  public String authBaseUrl() {
    return helix.authBaseUrl();
  }

  /** The simulated channels, busiest first. */
  public List<String> channels() {
    return channels;
  }

  public int channelsJoined() {
    return chat.joinedChannels().size();
  }

  /** Chat lines written to the job's connections so far. */
  public long messagesSent() {
    return messagesSent;
  }

  public int clipsCreated() {
    return helix.clipsCreated();
  }

  public ChatServer chat() {
    return chat;
  }

  public HelixServer helix() {
    return helix;
  }

  @Override
  public void close() {
    stopped = true;
    driver.interrupt();
    chat.close();
    helix.close();
  }
}
