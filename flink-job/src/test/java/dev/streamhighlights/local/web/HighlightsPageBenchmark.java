package dev.streamhighlights.local.web;

import static dev.streamhighlights.local.web.PageData.WINDOW;
import static dev.streamhighlights.local.web.PageData.chat;
import static dev.streamhighlights.local.web.PageData.created;
import static dev.streamhighlights.local.web.PageData.highlight;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.streamhighlights.job.model.ClipResult;
import dev.streamhighlights.job.model.ClipStatus;
import dev.streamhighlights.job.model.StoredHighlight;
import dev.streamhighlights.job.mongo.MongoIndexes;
import dev.streamhighlights.local.EmbeddedMongo;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * How fast the page's first view is with many stored highlights: {@code bin/benchmark web
 * [HIGHLIGHTS] [memory|h2]}. Writes HIGHLIGHTS (10,000) highlights over 1,000 channels and a week,
 * with chat around the newest 60, into mongo-java-server (in memory, or on an H2 file as the
 * embedded server of local runs keeps it), then times the first view's API request and, where
 * chromedriver is installed, the first view in headless Chromium. Prints numbers; not a test.
 */
public final class HighlightsPageBenchmark {

  private static final int CHANNELS = 1000;
  private static final int API_RUNS = 30;
  private static final int BROWSER_LOADS = 7;

  private HighlightsPageBenchmark() {}

  public static void main(String[] args) throws Exception {
    // As the local commands run the page (StreamHighlights.main).
    System.setProperty("sun.net.httpserver.nodelay", "true");
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    String backend = args.length > 1 ? args[1] : "memory";
    Path dir = Files.createTempDirectory("page-bench");
    MongoServer memory = null;
    EmbeddedMongo h2 = null;
    String uri;
    if (backend.equals("h2")) {
      h2 = EmbeddedMongo.start(dir);
      uri = h2.uri();
    } else {
      memory = new MongoServer(new MemoryBackend());
      memory.bind("127.0.0.1", 0);
      uri = "mongodb://127.0.0.1:" + memory.getLocalAddress().getPort();
    }
    try (MongoClient client = MongoClients.create(uri)) {
      MongoDatabase db = client.getDatabase("stream_highlights");
      long t0 = System.nanoTime();
      StoredHighlight newest = store(db, n).get(0);
      long now = newest.highlight().windowEnd();
      String channel = newest.highlight().channel();
      MongoIndexes.create(db);
      System.out.printf(
          Locale.ROOT,
          "%,d highlights over %,d channels and 7 days stored in %.1f s (mongo-java-server 1.47,"
              + " %s backend; it keeps secondary indexes as names only and scans)%n",
          n,
          CHANNELS,
          (System.nanoTime() - t0) / 1e9,
          backend);
      try (HighlightsWeb web = HighlightsWeb.open(uri, "stream_highlights", "127.0.0.1", 0)) {
        api(web, "/api/highlights?limit=50", "first view: the newest 50");
        api(
            web,
            "/api/highlights?order=top&limit=50&from=" + (now - 86_400_000L),
            "top 50 of the last 24 h");
        api(web, "/api/highlights?channel=channel0001&limit=50", "one channel's newest 50");
        api(
            web,
            "/api/activity?channel="
                + channel
                + "&from="
                + (now - 310_000)
                + "&to="
                + (now + 180_000),
            "one curve (8 min of 10 s windows)");
        browser(web);
      }
    } finally {
      if (memory != null) {
        memory.shutdownNow();
      }
      if (h2 != null) {
        h2.close();
      }
    }
  }

  /** Highlights spread over a week (busier channels more often), the newest 60 with chat. */
  private static List<StoredHighlight> store(MongoDatabase db, int n) {
    PageData data = new PageData(db);
    Random random = new Random(20181010L);
    long now = System.currentTimeMillis() / WINDOW * WINDOW;
    List<StoredHighlight> all = new ArrayList<>();
    ClipResult restricted = ClipResult.withoutClip(ClipStatus.RESTRICTED, "403");
    for (int i = 0; i < n; i++) {
      // Zipf-like: channel k about 1/(k+1) of the time.
      int channel =
          (int)
              Math.min(
                  CHANNELS - 1, Math.floor(Math.exp(random.nextDouble() * Math.log(CHANNELS))) - 1);
      long start = (now - (long) i * (7 * 86_400_000L / n)) / WINDOW * WINDOW - WINDOW;
      all.add(
          highlight(
              String.format(Locale.ROOT, "channel%04d", channel),
              start,
              20 + random.nextInt(200),
              2 + random.nextInt(30),
              3 + random.nextDouble() * 30,
              i % 9 == 0 ? restricted : created("Clip" + i)));
    }
    data.storeAll(dedupe(all));
    for (StoredHighlight h : all.subList(0, Math.min(60, all.size()))) {
      long s = h.highlight().windowStart();
      data.activity(
          h.highlight().channel(),
          s - 5 * 60_000,
          s + 4 * 60_000,
          chat(s, h.highlight().movingAverage(), h.highlight().count(), s));
    }
    return all;
  }

  private static List<StoredHighlight> dedupe(List<StoredHighlight> all) {
    java.util.Map<String, StoredHighlight> byId = new java.util.LinkedHashMap<>();
    for (StoredHighlight h : all) {
      byId.putIfAbsent(h.highlight().id(), h);
    }
    return new ArrayList<>(byId.values());
  }

  private static void api(HighlightsWeb web, String path, String what) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest request = HttpRequest.newBuilder(URI.create(web.url() + path.substring(1))).build();
    double[] ms = new double[API_RUNS];
    long bytes = 0;
    for (int i = 0; i < API_RUNS + 5; i++) {
      long t = System.nanoTime();
      HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() != 200) {
        throw new IllegalStateException(path + ": " + r.statusCode());
      }
      if (i >= 5) {
        ms[i - 5] = (System.nanoTime() - t) / 1e6;
      }
      bytes = r.body().length;
    }
    Arrays.sort(ms);
    System.out.printf(
        Locale.ROOT,
        "API %-34s median %6.1f ms  p90 %6.1f ms  max %6.1f ms  (%d runs after 5, %,d bytes)%n",
        what,
        ms[ms.length / 2],
        ms[(int) (ms.length * 0.9)],
        ms[ms.length - 1],
        API_RUNS,
        bytes);
  }

  /** Navigation start to the 50 cards listed, and to the curves in view drawn. */
  private static void browser(HighlightsWeb web) throws Exception {
    if (Chromium.chromedriver() == null) {
      System.out.println("browser: chromedriver not installed, skipped");
      return;
    }
    try (Chromium browser = Chromium.start(1400, 1000)) {
      double[] listed = new double[BROWSER_LOADS];
      double[] curves = new double[BROWSER_LOADS];
      for (int i = 0; i < BROWSER_LOADS; i++) {
        browser.open("about:blank");
        browser.open(web.url());
        browser.waitUntil(
            "50 cards",
            () -> browser.script("return document.querySelectorAll('.card').length").asInt() == 50);
        // The curves of the cards in view (the others load as they scroll in).
        browser.waitUntil(
            "curves in view",
            () ->
                browser
                    .script(
                        "return [...document.querySelectorAll('.chart-box')].filter(b => {"
                            + " const r = b.getBoundingClientRect(); return r.top < innerHeight && r.bottom > 0; })"
                            + ".every(b => b.querySelector('svg'))")
                    .asBoolean());
        listed[i] =
            browser
                .script("return performance.getEntriesByName('first-view')[0].startTime")
                .asDouble();
        curves[i] =
            browser
                .script(
                    "return Math.max(...performance.getEntriesByName('curve').map(e => e.startTime))")
                .asDouble();
      }
      System.out.printf(
          Locale.ROOT,
          "browser (headless Chromium, 1400x1000): navigation -> 50 cards listed: first load %.0f ms,"
              + " then median %.0f ms, max %.0f ms; -> curves in view drawn: first %.0f ms, median"
              + " %.0f ms (%d loads)%n",
          listed[0],
          median(Arrays.copyOfRange(listed, 1, listed.length)),
          Arrays.stream(listed).max().orElse(0),
          curves[0],
          median(Arrays.copyOfRange(curves, 1, curves.length)),
          BROWSER_LOADS);
    }
  }

  private static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return v[v.length / 2];
  }
}
