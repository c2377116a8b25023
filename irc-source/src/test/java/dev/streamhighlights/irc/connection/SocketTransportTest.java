package dev.streamhighlights.irc.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SocketTransportTest {

  @Test
  void cutsLinesWhateverTheReadBoundariesAndSkipsOverlongOnes() throws Exception {
    String overlong = "@x=" + "y".repeat(70_000) + " :a PRIVMSG #c :z";
    String[] lines = {
      "PING :tmi.twitch.tv", "bare newline", overlong, "after the long one", "last"
    };
    StringBuilder wire = new StringBuilder();
    for (int i = 0; i < lines.length; i++) {
      wire.append(lines[i]).append(i == 1 ? "\n" : "\r\n");
    }
    byte[] bytes = wire.toString().getBytes(StandardCharsets.UTF_8);

    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread writer =
          new Thread(
              () -> {
                try (Socket s = server.accept()) {
                  OutputStream out = s.getOutputStream();
                  // odd chunk sizes, so lines and CR LF pairs straddle reads
                  for (int i = 0; i < bytes.length; ) {
                    int n = Math.min(1 + (i % 13) * 97, bytes.length - i);
                    out.write(bytes, i, n);
                    out.flush();
                    i += n;
                  }
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      writer.start();
      AtomicInteger overlongCount = new AtomicInteger();
      SocketTransport t =
          new SocketTransport(
              URI.create("irc://127.0.0.1:" + server.getLocalPort()),
              5000,
              overlongCount::incrementAndGet);
      t.connect();
      List<String> got = new ArrayList<>();
      t.readLines(
          new LineTransport.LineSink() {
            @Override
            public void line(byte[] buf, int from, int to) {
              got.add(new String(buf, from, to - from, StandardCharsets.UTF_8));
            }

            @Override
            public void endOfRead() {}
          });
      t.close();
      writer.join();
      assertThat(got)
          .containsExactly("PING :tmi.twitch.tv", "bare newline", "after the long one", "last");
      assertThat(overlongCount.get()).isEqualTo(1);
    }
  }
}
