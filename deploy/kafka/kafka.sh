#!/usr/bin/env bash
# A real Kafka 4.3.1 broker (KRaft, one combined node) on 127.0.0.1, in its own JVM, from Maven
# artifacts. Development, the tests and CI use it:
#   deploy/kafka/kafka.sh setup     resolve the broker's jars (once) and write its configuration
#   deploy/kafka/kafka.sh start     format the storage if new, start, wait until it serves
#   deploy/kafka/kafka.sh status    'running at 127.0.0.1:PORT' or exit status 1
#   deploy/kafka/kafka.sh stop      stop it (the data stays in the run directory)
#   deploy/kafka/kafka.sh clean     stop it and delete its data
#   deploy/kafka/kafka.sh topics | create-topic NAME PARTITIONS | consume TOPIC
#                                   list topics, create one, print a topic's records (read_committed)
# Environment: KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (KAFKA_PORT + 1), KAFKA_RUN_DIR
# (deploy/kafka/run), KAFKA_HEAP (512m).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
libs="$here/target/kafka/libs"
run="${KAFKA_RUN_DIR:-$here/run}"
port="${KAFKA_PORT:-9092}"
controller_port="${KAFKA_CONTROLLER_PORT:-$((port + 1))}"
heap="${KAFKA_HEAP:-512m}"
props="$run/server.properties"
pidfile="$run/kafka.pid"

die() { echo "kafka.sh: $*" >&2; exit 1; }

setup() {
  if [[ ! -f "$libs/kafka_2.13-4.3.1.jar" || ! -f "$libs/kafka-tools-4.3.1.jar" ]]; then
    (cd "$here" && mvn -B -q -Dstyle.color=never package) >&2 \
      || die "cannot resolve the broker's jars with Maven (see the output above)"
  fi
  mkdir -p "$run/data" "$run/log"
  sed -e "s|@RUN_DIR@|$run|g" -e "s|@PORT@|$port|g" -e "s|@CONTROLLER_PORT@|$controller_port|g" \
    "$here/conf/server.properties.template" > "$props"
}

running() { [[ -f "$pidfile" ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

serving() { (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; }

tool() {
  [[ -f "$libs/kafka-tools-4.3.1.jar" ]] || setup
  java -Xmx256m -Dlog4j2.configurationFile="$here/conf/log4j2-tools.properties" -cp "$libs/*" "$@"
}

jvm=(-Xmx"$heap" -Xms"$heap" -XX:+UseG1GC -Djava.awt.headless=true -Dkafka.logs.dir="$run/log"
  -Dlog4j2.configurationFile="$here/conf/log4j2.properties" -cp "$libs/*")

start() {
  setup
  if running; then
    echo "Kafka already running at 127.0.0.1:$port (pid $(cat "$pidfile"))"
    return
  fi
  if serving; then
    die "port $port is taken by another process; set KAFKA_PORT"
  fi
  if [[ ! -f "$run/data/meta.properties" ]]; then
    java "${jvm[@]}" kafka.tools.StorageTool format -t "$(java "${jvm[@]}" kafka.tools.StorageTool random-uuid)" \
      -c "$props" --ignore-formatted > "$run/log/format.out" 2>&1 \
      || die "formatting the storage failed; see $run/log/format.out"
  fi
  nohup java "${jvm[@]}" kafka.Kafka "$props" > "$run/log/kafka.out" 2>&1 < /dev/null &
  echo $! > "$pidfile"
  for _ in $(seq 1 120); do
    if ! running; then
      tail -n 20 "$run/log/kafka.out" "$run/log/server.log" 2>/dev/null >&2 || true
      die "the broker exited while starting; logs in $run/log"
    fi
    if serving && grep -q 'Kafka Server started' "$run/log/server.log" 2>/dev/null; then
      echo "Kafka up at 127.0.0.1:$port (KRaft, data in $run/data, logs in $run/log)"
      return
    fi
    sleep 0.5
  done
  die "the broker did not start within 60 s; logs in $run/log"
}

stop() {
  if running; then
    local pid
    pid=$(cat "$pidfile")
    kill "$pid"
    for _ in $(seq 1 60); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
  echo "Kafka stopped"
}

case "${1:-}" in
  setup) setup ;;
  start) start ;;
  status) if running && serving; then echo "running at 127.0.0.1:$port"; else echo "not running"; exit 1; fi ;;
  stop) stop ;;
  clean) stop; rm -rf "$run/data" ;;
  topics) tool org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$port" --describe ;;
  create-topic) [[ $# -eq 3 ]] || die "usage: create-topic NAME PARTITIONS"
    tool org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$port" --create \
      --if-not-exists --topic "$2" --partitions "$3" --replication-factor 1 ;;
  consume) [[ $# -eq 2 ]] || die "usage: consume TOPIC"
    tool org.apache.kafka.tools.consumer.ConsoleConsumer --bootstrap-server "127.0.0.1:$port" \
      --topic "$2" --from-beginning --isolation-level read_committed \
      --formatter-property print.key=true --formatter-property print.timestamp=true ;;
  *) sed -n '2,13p' "$0"; exit 2 ;;
esac
