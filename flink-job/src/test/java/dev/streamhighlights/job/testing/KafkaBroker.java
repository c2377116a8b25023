package dev.streamhighlights.job.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The real Kafka broker the tests use: started once per test JVM with {@code deploy/kafka/kafka.sh}
 * (its own JVM, fresh data, free ports) and stopped when the JVM exits; or the broker at {@code
 * KAFKA_BOOTSTRAP_SERVERS} when that is set. A broker that cannot be started fails the test: Kafka
 * tests never skip.
 */
public final class KafkaBroker {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static String bootstrapServers;
  private static final String RUN = Long.toString(System.nanoTime() & 0xffffffL, 36);

  private KafkaBroker() {}

  /** The broker's address, starting it on first use. */
  public static synchronized String bootstrapServers() {
    if (bootstrapServers == null) {
      String given = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
      bootstrapServers = given != null && !given.isBlank() ? given : start();
      try (Admin admin = admin()) {
        admin.describeCluster().nodes().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException("no Kafka broker answers at " + bootstrapServers, e);
      }
    }
    return bootstrapServers;
  }

  private static String start() {
    int port = freePortPair();
    Path runDir = ROOT.resolve("flink-job/target/kafka-test");
    Map<String, String> env = new HashMap<>();
    env.put("KAFKA_PORT", Integer.toString(port));
    env.put("KAFKA_RUN_DIR", runDir.toString());
    env.put("KAFKA_HEAP", "384m");
    script(env, "clean");
    script(env, "start");
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> script(env, "stop"), "kafka-test-broker-stop"));
    return "127.0.0.1:" + port;
  }

  private static String script(Map<String, String> env, String command) {
    ProcessBuilder pb =
        new ProcessBuilder(ROOT.resolve("deploy/kafka/kafka.sh").toString(), command)
            .directory(ROOT.toFile())
            .redirectErrorStream(true);
    pb.environment().putAll(env);
    try {
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
        throw new IllegalStateException("deploy/kafka/kafka.sh " + command + " failed:\n" + out);
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run deploy/kafka/kafka.sh: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A port whose successor (the controller's) is free as well. */
  private static int freePortPair() {
    for (int i = 0; i < 50; i++) {
      try (ServerSocket a = new ServerSocket(0)) {
        int port = a.getLocalPort();
        if (port < 65535) {
          try (ServerSocket b = new ServerSocket(port + 1)) {
            return port;
          } catch (IOException taken) {
            // try another
          }
        }
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException("no two adjacent free ports");
  }

  public static Admin admin() {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    return Admin.create(p);
  }

  /**
   * Creates a topic named {@code base} plus a suffix unique to this run (so a shared broker at
   * {@code KAFKA_BOOTSTRAP_SERVERS} can serve many runs), without time retention (test chat has old
   * event times, and time retention counts from record timestamps); returns its name.
   */
  public static String createTopic(String base, int partitions) {
    String name = base + "-" + RUN;
    try (Admin admin = admin()) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(name, partitions, (short) 1)
                      .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1"))))
          .all()
          .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot create topic " + name, e);
    }
    return name;
  }

  /**
   * Every record of {@code topic} up to its current end (for {@code read_committed}: up to the last
   * stable offset, so open transactions are not waited for).
   */
  public static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, String isolationLevel) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolationLevel);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
              .map(i -> new TopicPartition(topic, i.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
      List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("could not read " + topic + " to its end in 60 s");
        }
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      return records;
    }
  }
}
