package dev.streamhighlights.local.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;

/**
 * Headless Chromium driven through chromedriver with the W3C WebDriver protocol over the JDK's HTTP
 * client: no Selenium. Debian's packages {@code chromium} and {@code chromium-driver} provide both
 * ({@code .ci/run} installs them). Without chromedriver a test fails under CI=true and is skipped,
 * loudly, elsewhere.
 */
final class Chromium implements AutoCloseable {

  /** The W3C key under which an element reference is passed. */
  private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

  private static final Duration WAIT = Duration.ofSeconds(15);

  private final ObjectMapper json = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private final Process driver;
  private final String base;
  private final String session;

  private Chromium(Process driver, String base, String session) {
    this.driver = driver;
    this.base = base;
    this.session = session;
  }

  /** Where chromedriver is: $CHROMEDRIVER, or chromedriver on the PATH; null when missing. */
  static Path chromedriver() {
    String env = System.getenv("CHROMEDRIVER");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      Path p = Path.of(dir, "chromedriver");
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  /**
   * Starts chromedriver and a headless browser with a window of {@code width} x {@code height}.
   * Without chromedriver: fails under CI=true, else skips the test with a message on stderr.
   */
  static Chromium start(int width, int height) throws Exception {
    Path chromedriver = chromedriver();
    if (chromedriver == null || !Files.isExecutable(chromedriver)) {
      String message =
          "chromedriver not found (set CHROMEDRIVER or install Debian's chromium and"
              + " chromium-driver: apt-get install chromium chromium-driver)";
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError("browser tests must run in CI: " + message);
      }
      System.err.println("\n*** SKIPPING BROWSER TEST: " + message + " ***\n");
      Assumptions.abort(message);
    }
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path log = Files.createTempFile("chromedriver", ".log");
    Process driver =
        new ProcessBuilder(chromedriver.toString(), "--port=" + port)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    String base = "http://127.0.0.1:" + port;
    Chromium probe = new Chromium(driver, base, null);
    try {
      probe.waitUntil("chromedriver answers", () -> probe.ready());
      ObjectNode options = probe.json.createObjectNode();
      List<String> args =
          new ArrayList<>(
              List.of(
                  "--headless=new",
                  "--no-sandbox", // root in CI
                  "--disable-gpu",
                  "--disable-dev-shm-usage",
                  "--hide-scrollbars",
                  "--force-device-scale-factor=1",
                  "--window-size=" + width + "," + height));
      options.set("args", probe.json.valueToTree(args));
      String binary = System.getenv("CHROMIUM_BINARY");
      if (binary != null && !binary.isBlank()) {
        options.put("binary", binary);
      }
      ObjectNode caps = probe.json.createObjectNode();
      caps.putObject("capabilities")
          .putObject("alwaysMatch")
          .put("browserName", "chrome")
          .set("goog:chromeOptions", options);
      JsonNode created = probe.call("POST", "/session", caps);
      return new Chromium(driver, base, created.get("sessionId").asText());
    } catch (Exception | AssertionError e) {
      driver.destroy();
      throw new IllegalStateException(
          "chromedriver did not start a browser: " + e.getMessage() + "\n" + Files.readString(log),
          e);
    }
  }

  private boolean ready() {
    try {
      return call("GET", "/status", null).path("ready").asBoolean();
    } catch (Exception e) {
      return false;
    }
  }

  void open(String url) throws Exception {
    session("POST", "/url", Map.of("url", url));
  }

  /** The elements matching a CSS selector, now (maybe none). */
  List<String> findAll(String css) throws Exception {
    JsonNode found = session("POST", "/elements", Map.of("using", "css selector", "value", css));
    List<String> ids = new ArrayList<>();
    found.forEach(e -> ids.add(e.get(ELEMENT).asText()));
    return ids;
  }

  /** The first element matching a CSS selector, waiting for it to appear. */
  String find(String css) throws Exception {
    waitUntil(css + " appears", () -> !findAll(css).isEmpty());
    return findAll(css).get(0);
  }

  String text(String element) throws Exception {
    return session("GET", "/element/" + element + "/text", null).asText();
  }

  void click(String element) throws Exception {
    session("POST", "/element/" + element + "/click", Map.of());
  }

  void clear(String element) throws Exception {
    session("POST", "/element/" + element + "/clear", Map.of());
  }

  void type(String element, String text) throws Exception {
    session("POST", "/element/" + element + "/value", Map.of("text", text));
  }

  /**
   * Runs {@code script} (a function body; arguments in {@code arguments}) and returns its value.
   */
  JsonNode script(String script, Object... args) throws Exception {
    return session("POST", "/execute/sync", Map.of("script", script, "args", List.of(args)));
  }

  void screenshot(Path png) throws Exception {
    Files.createDirectories(png.toAbsolutePath().getParent());
    Files.write(png, Base64.getDecoder().decode(session("GET", "/screenshot", null).asText()));
  }

  /** Waits until {@code condition} holds, retrying what throws meanwhile. */
  void waitUntil(String what, Check condition) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    Exception last = null;
    while (System.nanoTime() < deadline) {
      try {
        if (condition.holds()) {
          return;
        }
        last = null;
      } catch (Exception e) {
        last = e;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("waited " + WAIT.toSeconds() + " s for: " + what, last);
  }

  /** A condition {@link #waitUntil} retries. */
  interface Check {
    boolean holds() throws Exception;
  }

  /** The value {@code supplier} gives once it is not null. */
  <T> T await(String what, Supplier<T> supplier) throws Exception {
    Object[] box = new Object[1];
    waitUntil(what, () -> (box[0] = supplier.get()) != null);
    @SuppressWarnings("unchecked")
    T t = (T) box[0];
    return t;
  }

  private JsonNode session(String method, String path, Object body) throws Exception {
    return call(method, "/session/" + session + path, body);
  }

  private JsonNode call(String method, String path, Object body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
    }
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode answer = json.readTree(response.body());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "WebDriver " + method + " " + path + ": " + response.statusCode() + " " + answer);
    }
    return answer.get("value");
  }

  @Override
  public void close() {
    try {
      if (session != null) {
        session("DELETE", "", null);
      }
    } catch (Exception e) {
      // the browser goes with the driver
    } finally {
      driver.destroy();
      try {
        driver.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
