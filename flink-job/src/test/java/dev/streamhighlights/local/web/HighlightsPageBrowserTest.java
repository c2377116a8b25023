package dev.streamhighlights.local.web;

import static dev.streamhighlights.local.web.PageData.created;
import static dev.streamhighlights.local.web.PageData.highlight;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamhighlights.job.model.StoredHighlight;
import dev.streamhighlights.job.mongo.MongoIndexes;
import dev.streamhighlights.job.testing.TestMongo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The page in a real browser (headless Chromium through chromedriver) against the MongoDB-wire
 * server: what a person sees, including the screenshots in {@code target/screenshots/}.
 */
class HighlightsPageBrowserTest {

  static final Path SCREENSHOTS = Path.of("target", "screenshots");

  private static TestMongo mongo;
  private static HighlightsWeb web;
  private static Chromium browser;
  private static PageScene scene;

  @BeforeAll
  static void start() throws Exception {
    browser = Chromium.start(1400, 1000);
    mongo = new TestMongo();
    scene = new PageScene(System.currentTimeMillis());
    scene.store(new PageData(mongo.database()));
    MongoIndexes.create(mongo.database()); // as the job does; HighlightsApiTest covers without
    web = HighlightsWeb.start(mongo.database(), "127.0.0.1", 0);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (web != null) {
      web.close();
    }
    if (mongo != null) {
      mongo.close();
    }
  }

  @BeforeEach
  void freshPage() throws Exception {
    browser.open("about:blank");
  }

  @Test
  void listsTheNewestHighlightsEachWithItsChatCurve() throws Exception {
    browser.open(web.url());
    browser.waitUntil("the scene's 13 highlights", () -> channels().size() == 13);

    List<String> expected = new ArrayList<>();
    scene.highlights.stream()
        .sorted(
            Comparator.comparingLong((StoredHighlight h) -> h.highlight().detectedAt()).reversed())
        .forEach(h -> expected.add(h.highlight().channel()));
    expected.add(PageScene.HTML_CHANNEL);
    assertThat(channels()).isEqualTo(expected);
    // The first card's curve: bars of the 10 s counts, the surge window marked, its peak in it.
    browser.waitUntil(
        "the first card's curve",
        () ->
            number(
                    "document.querySelectorAll('.card')[0].querySelectorAll('svg.chart rect.bar').length")
                > 30);
    assertThat(
            number(
                "document.querySelectorAll('.card')[0].querySelectorAll('svg.chart rect.surge').length"))
        .isEqualTo(1);
    assertThat(
            browser
                .script(
                    "return [...document.querySelectorAll('.card')[0].querySelectorAll('rect.in-surge title')]"
                        + ".map(t => t.textContent).join()")
                .asText())
        .endsWith("58 messages");
    assertThat(text(".card .why")).contains("58 msgs / 10 s", "vs average 6.0", "9.7×");
    assertThat(text(".card .clip")).contains("created", "Play clip", "Open on Twitch");
    assertThat(
            browser
                .script(
                    "return [...document.querySelectorAll('.card .clip')].map(c => c.textContent).join('|')")
                .asText())
        .contains(
            "restricted",
            "the broadcaster does not allow clips (Helix 403)",
            "failed",
            "channel offline");
    browser.screenshot(SCREENSHOTS.resolve("highlights.png"));
  }

  @Test
  void aChannelFilterNarrowsTheList() throws Exception {
    browser.open(web.url());
    browser.waitUntil("the list", () -> channels().size() == 13);

    String input = browser.find("#channel-filter");
    browser.type(input, "rankedrhea\uE007"); // Enter

    browser.waitUntil(
        "only rankedrhea's two highlights",
        () -> channels().equals(List.of("rankedrhea", "rankedrhea")));
    assertThat(browser.script("return location.hash").asText()).isEqualTo("#/?channel=rankedrhea");
    browser.screenshot(SCREENSHOTS.resolve("filtered.png"));
  }

  @Test
  void aNewHighlightAppearsWithoutAReload() throws Exception {
    browser.open(web.url());
    browser.waitUntil("the list", () -> channels().size() >= 13);
    browser.script("window.__sameDocument = true");

    new PageData(mongo.database())
        .store(highlight("latecomer", scene.now, 90, 5, 21.0, created("Latecomer-1")));

    browser.waitUntil(
        "latecomer's highlight at the top", () -> channels().get(0).equals("latecomer"));
    assertThat(browser.script("return window.__sameDocument === true").asBoolean()).isTrue();
    assertThat(number("document.querySelectorAll('.card.fresh').length")).isEqualTo(1);
    mongo.collection("highlights").deleteOne(new org.bson.Document("channel", "latecomer"));
  }

  @Test
  void aChannelNameWithHtmlIsShownAsText() throws Exception {
    browser.open(web.url());
    String input = browser.find("#channel-filter");
    browser.type(input, PageScene.HTML_CHANNEL + "\uE007");

    browser.waitUntil(
        "the one highlight of that channel",
        () -> channels().equals(List.of(PageScene.HTML_CHANNEL)));
    assertThat(number("document.querySelectorAll('#view b, #view img').length")).isZero();
    assertThat(browser.script("return window.__xss === undefined").asBoolean()).isTrue();
    assertThat(text(".heading .sub")).contains(PageScene.HTML_CHANNEL);

    browser.click(browser.find(".card a.channel"));
    browser.waitUntil("its channel page", () -> !browser.findAll("h1.channel-name").isEmpty());
    assertThat(text("h1.channel-name")).isEqualTo(PageScene.HTML_CHANNEL);
    browser.waitUntil("its curve", () -> !browser.findAll("svg.channel-chart path.area").isEmpty());
    assertThat(number("document.querySelectorAll('#view b, #view img').length")).isZero();
    assertThat(browser.script("return window.__xss === undefined").asBoolean()).isTrue();
  }

  @Test
  void theChannelPageShowsItsChatCurveWithItsHighlightsOnIt() throws Exception {
    browser.open(web.url() + "#/channel/rankedrhea");

    browser.waitUntil("the curve", () -> !browser.findAll("svg.channel-chart path.area").isEmpty());
    // The last hour up to the newest stored window holds both of rankedrhea's highlights.
    browser.waitUntil(
        "two markers", () -> number("document.querySelectorAll('circle.marker-dot').length") == 2);
    browser.waitUntil("its cards", () -> channels().equals(List.of("rankedrhea", "rankedrhea")));
    assertThat(text(".panel .sub")).contains("2 highlights in this range");

    browser.script(
        "const s = document.getElementById('range'); s.value = '3h'; s.dispatchEvent(new Event('change'))");
    browser.waitUntil(
        "the 3 h range",
        () ->
            text(".panel .sub").contains("2 highlights in this range")
                && browser.script("return location.hash").asText().endsWith("?range=3h"));
    browser.screenshot(SCREENSHOTS.resolve("channel.png"));
  }

  @Test
  void topMomentsAreOrderedByScore() throws Exception {
    browser.open(web.url() + "#/top?period=all");
    browser.waitUntil("the ranking", () -> channels().size() == 13);

    JsonNode scores =
        browser.script(
            "return [...document.querySelectorAll('.card .score strong')].map(s => Number(s.textContent))");
    List<Double> shown = new ArrayList<>();
    scores.forEach(s -> shown.add(s.asDouble()));
    assertThat(shown).isSortedAccordingTo(Comparator.reverseOrder());
    assertThat(text(".card .rank")).isEqualTo("#1");
    assertThat(channels().get(0)).isEqualTo("rankedrhea");
    browser.screenshot(SCREENSHOTS.resolve("top.png"));
  }

  private List<String> channels() throws Exception {
    JsonNode names =
        browser.script(
            "return [...document.querySelectorAll('.card a.channel')].map(a => a.textContent)");
    List<String> out = new ArrayList<>();
    names.forEach(n -> out.add(n.asText()));
    return out;
  }

  private String text(String css) throws Exception {
    return browser
        .script(
            "const e = document.querySelector(arguments[0]); return e ? e.textContent : null", css)
        .asText();
  }

  private long number(String expression) throws Exception {
    return browser.script("return " + expression).asLong();
  }
}
