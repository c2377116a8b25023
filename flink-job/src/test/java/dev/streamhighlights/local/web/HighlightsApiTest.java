package dev.streamhighlights.local.web;

import static dev.streamhighlights.local.web.PageData.WINDOW;
import static dev.streamhighlights.local.web.PageData.created;
import static dev.streamhighlights.local.web.PageData.highlight;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import dev.streamhighlights.job.model.ClipResult;
import dev.streamhighlights.job.model.ClipStatus;
import dev.streamhighlights.job.mongo.MongoIndexes;
import dev.streamhighlights.job.testing.TestMongo;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The page's JSON API against the MongoDB-wire server, with documents the job's mapping wrote. */
class HighlightsApiTest {

  /** 2023-11-14T22:00:00Z: an hour's start, so windows fall into known hour documents. */
  private static final long HOUR = 1_700_000_000_000L - 1_700_000_000_000L % 3_600_000L;

  private final ObjectMapper json = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private final ConcurrentLinkedQueue<String> commands = new ConcurrentLinkedQueue<>();
  private TestMongo mongo;
  private MongoClient webClient;
  private HighlightsWeb web;
  private PageData data;

  @BeforeEach
  void start() throws Exception {
    mongo = new TestMongo();
    data = new PageData(mongo.database());
    // The page's own client, with every command it sends recorded.
    webClient =
        MongoClients.create(
            MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(mongo.uri()))
                .addCommandListener(
                    new CommandListener() {
                      @Override
                      public void commandStarted(CommandStartedEvent event) {
                        commands.add(event.getCommandName());
                      }
                    })
                .build());
    web = HighlightsWeb.start(webClient.getDatabase(TestMongo.DATABASE), "127.0.0.1", 0);
  }

  @AfterEach
  void stop() {
    web.close();
    webClient.close();
    mongo.close();
  }

  @Test
  void listsTheNewestHighlightsFirstWithEveryStoredField() throws Exception {
    data.store(
        highlight("alpha", HOUR, 40, 2.0, 26.87, created("AbcDef")),
        highlight(
            "beta",
            HOUR + 60_000,
            30,
            3.0,
            9.5,
            ClipResult.withoutClip(ClipStatus.RESTRICTED, "403")),
        highlight(
            "alpha",
            HOUR + 120_000,
            25,
            5.0,
            4.0,
            ClipResult.withoutClip(ClipStatus.OFFLINE, null)));

    JsonNode list = get("/api/highlights").get("highlights");

    assertThat(ids(list))
        .containsExactly("alpha:" + (HOUR + 120_000), "beta:" + (HOUR + 60_000), "alpha:" + HOUR);
    JsonNode first = list.get(2);
    assertThat(first.get("channel").asText()).isEqualTo("alpha");
    assertThat(first.get("windowStart").asLong()).isEqualTo(HOUR);
    assertThat(first.get("windowEnd").asLong()).isEqualTo(HOUR + WINDOW);
    assertThat(first.get("detectedAt").asLong()).isEqualTo(HOUR + WINDOW);
    assertThat(first.get("count").asLong()).isEqualTo(40);
    assertThat(first.get("movingAverage").asDouble()).isEqualTo(2.0);
    assertThat(first.get("score").asDouble()).isEqualTo(26.87);
    assertThat(first.get("rule").asText()).isEqualTo("default");
    assertThat(first.get("clip").get("status").asText()).isEqualTo("created");
    assertThat(first.get("clip").get("url").asText()).isEqualTo("https://clips.twitch.tv/AbcDef");
    assertThat(list.get(1).get("clip").get("status").asText()).isEqualTo("restricted");
    assertThat(list.get(1).get("clip").get("error").asText()).isEqualTo("403");
  }

  @Test
  void narrowsToAChannelAndAPeriodGivenInMillisOrIso() throws Exception {
    for (int i = 0; i < 6; i++) {
      data.store(
          highlight(i % 2 == 0 ? "alpha" : "beta", HOUR + i * 60_000L, 20, 2, i, created("C" + i)));
    }

    assertThat(ids(get("/api/highlights?channel=beta").get("highlights")))
        .containsExactly(
            "beta:" + (HOUR + 300_000), "beta:" + (HOUR + 180_000), "beta:" + (HOUR + 60_000));
    // detectedAt is the window's end: windows starting at minutes 1 and 2 end in [1:10, 2:10].
    String from = java.time.Instant.ofEpochMilli(HOUR + 70_000).toString();
    assertThat(
            ids(get("/api/highlights?from=" + from + "&to=" + (HOUR + 130_001)).get("highlights")))
        .containsExactly("alpha:" + (HOUR + 120_000), "beta:" + (HOUR + 60_000));
    assertThat(get("/api/highlights?channel=gamma").get("highlights")).isEmpty();
    assertThat(ids(get("/api/highlights?limit=2&offset=1").get("highlights")))
        .containsExactly("alpha:" + (HOUR + 240_000), "beta:" + (HOUR + 180_000));
  }

  @Test
  void topMomentsAreTheHighestScoresOfThePeriod() throws Exception {
    data.store(
        highlight("alpha", HOUR, 20, 2, 5.0, created("A")),
        highlight("beta", HOUR + 60_000, 20, 2, 50.0, created("B")),
        highlight("gamma", HOUR + 120_000, 20, 2, 12.0, created("C")),
        highlight("delta", HOUR + 7_200_000, 20, 2, 99.0, created("D")));

    assertThat(
            ids(
                get("/api/highlights?order=top&from=" + HOUR + "&to=" + (HOUR + 3_600_000))
                    .get("highlights")))
        .containsExactly("beta:" + (HOUR + 60_000), "gamma:" + (HOUR + 120_000), "alpha:" + HOUR);
  }

  @Test
  void activityIsTheChannelsTenSecondCountsAcrossHourDocuments() throws Exception {
    // Five minutes around the start of an hour: two hour documents.
    data.activity("alpha", HOUR - 150_000, HOUR + 150_000, t -> t == HOUR ? 80 : 3);
    data.activity("beta", HOUR - 150_000, HOUR + 150_000, t -> 50);

    JsonNode a =
        get("/api/activity?channel=alpha&from=" + (HOUR - 60_000) + "&to=" + (HOUR + 30_000));

    assertThat(a.get("windowMillis").asLong()).isEqualTo(WINDOW);
    assertThat(a.get("from").asLong()).isEqualTo(HOUR - 60_000);
    List<String> windows = new ArrayList<>();
    a.get("windows")
        .forEach(w -> windows.add((w.get(0).asLong() - HOUR) / 1000 + "=" + w.get(1).asLong()));
    assertThat(windows)
        .containsExactly(
            "-60=3", "-50=3", "-40=3", "-30=3", "-20=3", "-10=3", "0=80", "10=3", "20=3");
    // The first stored window is marked partial, as the job marks a window it started watching in.
    JsonNode all = get("/api/activity?channel=alpha&from=" + (HOUR - 150_000) + "&to=" + HOUR);
    assertThat(all.get("windows").get(0).get(2).asBoolean()).isTrue();
    assertThat(all.get("windows").get(1).get(2).asBoolean()).isFalse();
  }

  @Test
  void activityWithoutARangeEndsAtTheChannelsNewestWindow() throws Exception {
    data.activity("alpha", HOUR, HOUR + 600_000, t -> 5);
    data.activity("alphabet", HOUR + 3_600_000, HOUR + 3_700_000, t -> 5);

    JsonNode a = get("/api/activity?channel=alpha&span=5");

    assertThat(a.get("to").asLong()).isEqualTo(HOUR + 600_000);
    assertThat(a.get("from").asLong()).isEqualTo(HOUR + 300_000);
    assertThat(a.get("windows")).hasSize(30);
    assertThat(get("/api/activity?channel=nobody").get("windows")).isEmpty();
  }

  @Test
  void aChannelNameWithHtmlComesBackAsTheStoredText() throws Exception {
    String name = "<img src=x onerror=alert(1)>&amp;\"'";
    data.store(highlight(name, HOUR, 20, 2, 5, created("X")));

    JsonNode list =
        get("/api/highlights?channel=" + URLEncoder.encode(name, StandardCharsets.UTF_8))
            .get("highlights");

    assertThat(list.get(0).get("channel").asText()).isEqualTo(name);
    assertThat(
            get("/api/highlights/"
                    + URLEncoder.encode(name + ":" + HOUR, StandardCharsets.UTF_8)
                        .replace("+", "%20"))
                .get("highlight")
                .get("channel")
                .asText())
        .isEqualTo(name);
  }

  @Test
  void badParametersAreAnswered400WithWhatIsWrong() throws Exception {
    assertError("/api/highlights?limit=0", 400, "limit: '0' is not an integer from 1 to 500");
    assertError("/api/highlights?limit=lots", 400, "limit: 'lots' is not an integer from 1 to 500");
    assertError(
        "/api/highlights?offset=20000", 400, "offset: '20000' is not an integer from 0 to 10000");
    assertError(
        "/api/highlights?from=yesterday",
        400,
        "from: 'yesterday' is not a time; give epoch milliseconds or an ISO-8601 instant such as"
            + " 2024-05-01T12:00:00Z");
    assertError("/api/highlights?from=2000&to=1000", 400, "from must be before to");
    assertError("/api/highlights?order=best", 400, "order: 'best' is not one of newest, top");
    assertError(
        "/api/highlights?chanel=alpha",
        400,
        "unknown parameter 'chanel'; this endpoint takes channel, from, limit, offset, order, to");
    assertError(
        "/api/highlights?limit=1&limit=2", 400, "parameter 'limit' is given more than once");
    assertError("/api/activity", 400, "channel is required");
    assertError(
        "/api/activity?channel=a&from=0&to=" + 25 * 3_600_000L,
        400,
        "from-to spans more than 24 h; ask for a shorter range");
    assertError(
        "/api/activity?channel=a&span=10000",
        400,
        "span: '10000' is not an integer from 1 to 1440");
    assertError("/api/highlights/nothing:1", 404, "no highlight with id 'nothing:1'");
    assertError(
        "/api/nothing",
        404,
        "no such endpoint; the API has /api/highlights,"
            + " /api/highlights/<id>, /api/activity, /api/channels and /api/status");
    HttpResponse<String> post =
        http.send(
            HttpRequest.newBuilder(URI.create(web.url() + "api/highlights"))
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
  }

  @Test
  void statusNamesTheMissingIndexesUntilTheJobCreatesThem() throws Exception {
    data.store(highlight("alpha", HOUR, 20, 2, 5, created("A")));

    JsonNode before = get("/api/status");
    MongoIndexes.create(mongo.database());
    JsonNode after = get("/api/status");

    assertThat(before.get("database").asText()).isEqualTo(TestMongo.DATABASE);
    assertThat(before.get("highlights").asLong()).isEqualTo(1);
    assertThat(before.get("missingIndexes")).hasSize(3);
    assertThat(before.get("missingIndexes").get(0).asText()).isEqualTo("{detectedAt: -1, _id: -1}");
    assertThat(after.get("missingIndexes")).isEmpty();
  }

  @Test
  void channelsAreThoseWithHighlightsTheLatestFirst() throws Exception {
    data.store(
        highlight("alpha", HOUR, 20, 2, 5, created("A")),
        highlight("beta", HOUR + 60_000, 20, 2, 5, created("B")),
        highlight("alpha", HOUR + 30_000, 20, 2, 5, created("C")));

    JsonNode channels = get("/api/channels").get("channels");

    assertThat(channels).hasSize(2);
    assertThat(channels.get(0).get("channel").asText()).isEqualTo("beta");
    assertThat(channels.get(1).get("channel").asText()).isEqualTo("alpha");
    assertThat(channels.get(1).get("highlights").asInt()).isEqualTo(2);
  }

  @Test
  void thePageOnlyReadsMongoDb() throws Exception {
    data.store(highlight("alpha", HOUR, 20, 2, 5, created("A")));
    data.activity("alpha", HOUR - 300_000, HOUR + 300_000, t -> 4);
    List<Document> before = snapshot();

    for (String path :
        List.of(
            "/api/highlights",
            "/api/highlights?order=top&channel=alpha&from=0",
            "/api/highlights/alpha:" + HOUR,
            "/api/activity?channel=alpha",
            "/api/activity?channel=alpha&from=" + HOUR,
            "/api/channels",
            "/api/status",
            "/api/highlights?limit=0",
            "/")) {
      http.send(
          HttpRequest.newBuilder(URI.create(web.url() + path.substring(1))).build(),
          HttpResponse.BodyHandlers.discarding());
    }

    assertThat(snapshot()).isEqualTo(before);
    assertThat(Set.copyOf(commands))
        .isNotEmpty()
        .isSubsetOf(
            "find",
            "getMore",
            "aggregate",
            "listIndexes",
            "count",
            "killCursors",
            "endSessions",
            "hello",
            "isMaster",
            "buildInfo");
  }

  @Test
  void thePageIsServedFromTheJarWithAPolicyThatLoadsNothingElse() throws Exception {
    HttpResponse<String> page =
        http.send(
            HttpRequest.newBuilder(URI.create(web.url())).build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> script =
        http.send(
            HttpRequest.newBuilder(URI.create(web.url() + "app.js")).build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
        .contains("default-src 'self'", "script-src 'self'", "frame-src https://clips.twitch.tv");
    assertThat(page.body())
        .contains("<script src=\"/app.js\"></script>")
        .doesNotContain("http://", "https://");
    assertThat(script.body()).doesNotContain("innerHTML", "insertAdjacentHTML", "document.write");
    assertThat(
            http.send(
                    HttpRequest.newBuilder(URI.create(web.url() + "../pom.xml")).build(),
                    HttpResponse.BodyHandlers.ofString())
                .statusCode())
        .isEqualTo(404);
  }

  @Test
  void aRequestForAnotherHostIsRefused() throws Exception {
    // A site that resolves its own name to 127.0.0.1 (DNS rebinding) sends its name as Host.
    try (Socket socket = new Socket("127.0.0.1", web.port())) {
      OutputStream out = socket.getOutputStream();
      out.write(
          "GET /api/status HTTP/1.1\r\nHost: attacker.example\r\nConnection: close\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String status =
          new BufferedReader(
                  new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
              .readLine();
      assertThat(status).isEqualTo("HTTP/1.1 403 Forbidden");
    }
  }

  private List<Document> snapshot() {
    List<Document> all = new ArrayList<>();
    for (String name : mongo.database().listCollectionNames()) {
      all.add(new Document("collection", name));
      all.addAll(mongo.all(name));
      mongo.collection(name).listIndexes().into(all);
    }
    return all;
  }

  private JsonNode get(String path) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(web.url() + path.substring(1))).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("%s: %s", path, r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
    return json.readTree(r.body());
  }

  private void assertError(String path, int status, String message) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(web.url() + path.substring(1))).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path).isEqualTo(status);
    assertThat(json.readTree(r.body()).get("error").asText()).as(path).isEqualTo(message);
  }

  private static List<String> ids(JsonNode list) {
    List<String> ids = new ArrayList<>();
    list.forEach(h -> ids.add(h.get("id").asText()));
    return ids;
  }
}
