package dev.streamhighlights.job;

import dev.streamhighlights.irc.source.IrcSource;
import dev.streamhighlights.irc.source.IrcSourceBuilder;
import dev.streamhighlights.job.clip.OfflineClipCreator;
import dev.streamhighlights.simulator.ChatServer;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The live pipeline on the test's MiniCluster, started without waiting for it: the real IRC source
 * against the fake Twitch chat, checkpoints every 200 ms, clips offline, into the sinks a test
 * gives. Chat of {@link #CHANNELS} alpha and beta is what tests count; a message in clock moves
 * event time on while the others are idle (500 ms).
 */
final class LiveChatJob {

  static final List<String> CHANNELS = List.of("alpha", "beta", "clock");

  private LiveChatJob() {}

  /**
   * Starts the job; {@code env} and {@code source} adjust the environment (restarts, checkpoint
   * timeout) and the source (backoff, watchdog) before it is built.
   */
  static JobClient start(
      String name,
      ChatServer twitch,
      Consumer<StreamExecutionEnvironment> env,
      UnaryOperator<IrcSourceBuilder> source,
      HighlightPipeline.Sinks sinks)
      throws Exception {
    StreamExecutionEnvironment environment = StreamExecutionEnvironment.getExecutionEnvironment();
    JobEnvironment.singleTask(environment);
    environment.enableCheckpointing(200);
    env.accept(environment);
    IrcSource irc =
        source
            .apply(
                IrcSource.builder()
                    .channels(CHANNELS)
                    .endpoint(twitch.ircUri())
                    // The server stamps recorded times, not the clock's: event time follows the
                    // chat only.
                    .eventTimeLag(null))
            .build();
    HighlightPipeline.build(
        environment,
        irc,
        // The variance rule's history of 10 windows: these tests are about counting through drops,
        // reconnects and restores, and how a restored channel's history is rebuilt; the excess
        // rule's 30-window baseline and warm-up are tested on their own (ExcessRuleTest).
        PipelineSettings.builder().rule("variance").idleness(Duration.ofMillis(500)).build(),
        OfflineClipCreator.factory(),
        sinks);
    return environment.executeAsync(name);
  }
}
