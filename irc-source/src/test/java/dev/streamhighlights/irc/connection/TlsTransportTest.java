package dev.streamhighlights.irc.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ircs:// as in production: TLS with the certificate and the host name checked. */
class TlsTransportTest {

  private static final char[] PASSWORD = "changeit".toCharArray();

  @TempDir static Path dir;
  private static KeyStore keys;

  @BeforeAll
  static void makeCertificate() throws Exception {
    Path store = dir.resolve("server.p12");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    Process p =
        new ProcessBuilder(
                keytool,
                "-genkeypair",
                "-alias",
                "irc",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=ip:127.0.0.1,dns:localhost",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                "changeit",
                "-keypass",
                "changeit")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keys.load(in, PASSWORD);
    }
  }

  @Test
  void readsLinesOverTlsFromAServerItTrusts() throws Exception {
    try (SSLServerSocket server = server()) {
      Thread t = serveOneLine(server);
      SocketTransport transport =
          new SocketTransport(
              URI.create("ircs://127.0.0.1:" + server.getLocalPort()),
              5000,
              () -> {},
              trusting().getSocketFactory());
      transport.connect();
      transport.send("NICK justinfan1");
      List<String> lines = new ArrayList<>();
      transport.readLines(
          new LineTransport.LineSink() {
            @Override
            public void line(byte[] buf, int from, int to) {
              lines.add(new String(buf, from, to - from, StandardCharsets.UTF_8));
            }

            @Override
            public void endOfRead() {}
          });
      transport.close();
      t.join();
      assertThat(lines).containsExactly(":tmi.twitch.tv 001 justinfan1 :Welcome, GLHF!");
    }
  }

  @Test
  void refusesAServerWhoseCertificateItDoesNotTrust() throws Exception {
    try (SSLServerSocket server = server()) {
      serveOneLine(server);
      SocketTransport transport =
          new SocketTransport(
              URI.create("ircs://127.0.0.1:" + server.getLocalPort()), 5000, () -> {});
      assertThatThrownBy(transport::connect).isInstanceOf(javax.net.ssl.SSLException.class);
      transport.close();
    }
  }

  private static SSLServerSocket server() throws Exception {
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, PASSWORD);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    return (SSLServerSocket)
        ctx.getServerSocketFactory().createServerSocket(0, 1, InetAddress.getLoopbackAddress());
  }

  private static SSLContext trusting() throws Exception {
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(keys);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  private static Thread serveOneLine(SSLServerSocket server) {
    Thread t =
        new Thread(
            () -> {
              try (SSLSocket s = (SSLSocket) server.accept()) {
                BufferedReader in =
                    new BufferedReader(
                        new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                String nick = in.readLine();
                OutputStream out = s.getOutputStream();
                out.write(
                    (":tmi.twitch.tv 001 " + nick.substring(5) + " :Welcome, GLHF!\r\n")
                        .getBytes(StandardCharsets.UTF_8));
                out.flush();
              } catch (Exception e) {
                // the untrusted client aborts the handshake
              }
            });
    t.setDaemon(true);
    t.start();
    return t;
  }
}
