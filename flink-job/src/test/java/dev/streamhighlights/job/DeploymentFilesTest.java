package dev.streamhighlights.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamhighlights.job.config.CommandLine;
import dev.streamhighlights.job.config.JobOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.WebOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Docker and Kubernetes files cannot be run on the development machine (no Docker engine, no
 * cluster), so their wiring is checked here: they parse, name the job's real entry class and jar
 * path, give only options the job accepts, and take secrets from the environment, not arguments.
 * They also must not expose the cluster: Flink's REST API runs any job it is sent and the compose
 * file's MongoDB has no authentication, so published ports are bound to loopback and the web UI's
 * jar upload is off wherever the job is deployed.
 */
class DeploymentFilesTest {

  private static final Path ROOT = Path.of("..");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String JAR_IN_IMAGE = "/opt/flink/usrlib/stream-highlights-job.jar";

  @Test
  void theComposeFileWiresJobManagerTaskManagerMongoAndKafka() throws Exception {
    JsonNode compose = read(ROOT.resolve("docker/compose.yaml"));
    JsonNode services = compose.path("services");
    assertThat(fieldNames(services))
        .containsExactlyInAnyOrder("jobmanager", "taskmanager", "mongo", "kafka");

    JsonNode jm = services.path("jobmanager");
    // Compose substitutes ${VAR:-default} from docker/.env; the defaults are what the job gets.
    String substituted =
        jm.path("command").asText().trim().replaceAll("\\$\\{[A-Z_]+:-([^}]*)}", "$1");
    List<String> command = List.of(substituted.split("\\s+"));
    assertThat(command)
        .startsWith("standalone-job", "--job-classname", HighlightsJob.class.getName());
    assertThat(Class.forName(command.get(2))).isEqualTo(HighlightsJob.class);
    acceptedByTheJob(command.subList(3, command.size()));

    for (String flink : List.of("jobmanager", "taskmanager")) {
      JsonNode env = services.path(flink).path("environment");
      assertThat(env.path("MONGO_URI").asText()).isEqualTo("mongodb://mongo:27017");
      assertThat(env.path("KAFKA_BOOTSTRAP_SERVERS").asText()).isEqualTo("kafka:9092");
      assertThat(env.path("FLINK_PROPERTIES").asText())
          .contains("jobmanager.rpc.address: jobmanager");
      for (String secret :
          List.of("TWITCH_CLIENT_SECRET", "TWITCH_USER_TOKEN", "TWITCH_REFRESH_TOKEN")) {
        assertThat(env.path(secret).asText()).as(secret).startsWith("${" + secret);
      }
    }
    assertThat(services.path("kafka").path("environment").path("KAFKA_PROCESS_ROLES").asText())
        .isEqualTo("broker,controller");
    assertThat(Files.readString(ROOT.resolve("docker/Dockerfile")))
        .contains("FROM flink:1.20-java17")
        .contains("flink-job/target/stream-highlights-job.jar " + JAR_IN_IMAGE);
  }

  @Test
  void theFlinkDeploymentUpgradesThroughSavepointsWithSecretsFromASecret() throws Exception {
    JsonNode deployment = read(ROOT.resolve("deploy/kubernetes/flinkdeployment.yaml"));
    assertThat(deployment.path("kind").asText()).isEqualTo("FlinkDeployment");
    JsonNode spec = deployment.path("spec");
    assertThat(spec.path("flinkVersion").asText()).isEqualTo("v1_20");
    JsonNode job = spec.path("job");
    assertThat(job.path("upgradeMode").asText()).isEqualTo("savepoint");
    assertThat(job.path("jarURI").asText()).isEqualTo("local://" + JAR_IN_IMAGE);
    assertThat(Class.forName(job.path("entryClass").asText())).isEqualTo(HighlightsJob.class);
    List<String> args = new ArrayList<>();
    job.path("args").forEach(a -> args.add(a.asText()));
    acceptedByTheJob(args);
    assertThat(
            spec.path("flinkConfiguration").path("execution.checkpointing.savepoint-dir").asText())
        .isNotEmpty();
    assertThat(
            spec.path("podTemplate")
                .path("spec")
                .path("containers")
                .path(0)
                .path("envFrom")
                .path(0)
                .path("secretRef")
                .path("name")
                .asText())
        .isEqualTo(
            read(ROOT.resolve("deploy/kubernetes/secret.example.yaml"))
                .path("metadata")
                .path("name")
                .asText());
  }

  @Test
  void theComposeFilePublishesEveryPortOnLoopbackOnly() throws Exception {
    JsonNode services = read(ROOT.resolve("docker/compose.yaml")).path("services");
    List<String> published = new ArrayList<>();
    for (String name : fieldNames(services)) {
      JsonNode service = services.path(name);
      // Host networking would put every listening port on every interface, past any binding.
      assertThat(service.path("network_mode").asText()).as(name).isNotEqualTo("host");
      for (JsonNode port : service.path("ports")) {
        published.add(name + " " + port);
        assertThat(hostIp(port)).as(name + " publishes " + port).isEqualTo("127.0.0.1");
      }
    }
    assertThat(published).as("the web UI, MongoDB and Kafka are published").isNotEmpty();
  }

  @Test
  void jarUploadIsOffAndRestartsBoundedWhereverTheJobIsDeployed(@TempDir Path conf)
      throws Exception {
    // Compose: the official image adds FLINK_PROPERTIES (YAML lines) to its Flink configuration.
    JsonNode services = read(ROOT.resolve("docker/compose.yaml")).path("services");
    for (String flink : List.of("jobmanager", "taskmanager")) {
      String properties =
          services.path(flink).path("environment").path("FLINK_PROPERTIES").asText();
      Map<String, Object> yaml = new org.yaml.snakeyaml.Yaml().load(properties);
      assertJarUploadOff(Configuration.fromMap(asStrings(yaml)), "compose " + flink);
    }

    // Kubernetes: the operator passes flinkConfiguration to the cluster.
    JsonNode spec = read(ROOT.resolve("deploy/kubernetes/flinkdeployment.yaml")).path("spec");
    Map<String, String> flinkConfiguration = new HashMap<>();
    spec.path("flinkConfiguration")
        .fields()
        .forEachRemaining(e -> flinkConfiguration.put(e.getKey(), e.getValue().asText()));
    Configuration k8s = Configuration.fromMap(flinkConfiguration);
    assertJarUploadOff(k8s, "flinkdeployment.yaml");
    assertThat(k8s.toMap().get("kubernetes.rest-service.exposed.type"))
        .as("the REST service stays inside the Kubernetes cluster")
        .isEqualTo("ClusterIP");
    assertThat(k8s.get(DeploymentOptions.SUBMIT_FAILED_JOB_ON_APPLICATION_ERROR))
        .as("a bad configuration is a FAILED job, not a JobManager started again and again")
        .isTrue();

    // Standalone: flink.sh writes the template's values into conf/config.yaml; Flink reads it.
    assertThat(Files.readString(ROOT.resolve("deploy/standalone/flink.sh")))
        .contains("\"$here/conf/config.yaml.template\" > \"$conf/config.yaml\"");
    String template =
        Files.readString(ROOT.resolve("deploy/standalone/conf/config.yaml.template"))
            .replace("@RUN_DIR@", conf.toString())
            .replace("@REST_PORT@", "8081");
    Files.writeString(conf.resolve("config.yaml"), template);
    Configuration standalone = GlobalConfiguration.loadConfiguration(conf.toString());
    assertJarUploadOff(standalone, "standalone config.yaml");
    assertThat(standalone.get(RestOptions.BIND_ADDRESS)).isEqualTo("127.0.0.1");
  }

  private static void assertJarUploadOff(Configuration flink, String where) {
    assertThat(flink.get(WebOptions.SUBMIT_ENABLE)).as(where + ": web.submit.enable").isFalse();
    // A deployment that names a restart strategy overrides the job's bounded one: it must be the
    // same bounded strategy, never one that restarts forever.
    Configuration bounded = Restarts.bound(new Configuration());
    for (var option :
        List.of(
            org.apache.flink.configuration.RestartStrategyOptions.RESTART_STRATEGY,
            org.apache.flink.configuration.RestartStrategyOptions
                .RESTART_STRATEGY_FAILURE_RATE_MAX_FAILURES_PER_INTERVAL,
            org.apache.flink.configuration.RestartStrategyOptions
                .RESTART_STRATEGY_FAILURE_RATE_FAILURE_RATE_INTERVAL,
            org.apache.flink.configuration.RestartStrategyOptions
                .RESTART_STRATEGY_FAILURE_RATE_DELAY)) {
      assertThat(flink.getOptional(option))
          .as(where + ": " + option.key())
          .isEqualTo(bounded.getOptional(option));
    }
  }

  /** The host address of a compose port: "IP:HOST:CONTAINER", or host_ip in the long syntax. */
  private static String hostIp(JsonNode port) {
    if (port.isObject()) {
      return port.path("host_ip").asText();
    }
    // "8081:8081" and "8081" (which YAML may even read as a number) publish on every interface.
    String text = port.asText();
    int containerPort = text.lastIndexOf(':');
    int hostPort = containerPort < 0 ? -1 : text.lastIndexOf(':', containerPort - 1);
    return hostPort < 0 ? "" : text.substring(0, hostPort);
  }

  private static Map<String, String> asStrings(Map<String, Object> map) {
    Map<String, String> strings = new HashMap<>();
    map.forEach((k, v) -> strings.put(k, String.valueOf(v)));
    return strings;
  }

  /** YAML with anchors and aliases resolved (compose files use them), as a JSON tree. */
  private static JsonNode read(Path file) throws Exception {
    Object doc = new org.yaml.snakeyaml.Yaml().load(Files.readString(file));
    return JSON.valueToTree(doc);
  }

  private static void acceptedByTheJob(List<String> args) {
    Configuration c = CommandLine.parse(args.toArray(new String[0]), Map.of(), JobOptions.CLUSTER);
    assertThat(Integer.parseInt(c.get(JobOptions.TOP))).isPositive();
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
