#!/usr/bin/env bash
# A real Flink 1.20.5 standalone session cluster on this machine, from Maven artifacts:
#   deploy/standalone/flink.sh setup                         resolve Flink's jars (once)
#   deploy/standalone/flink.sh start                         JobManager + TaskManager(s) (2 slots)
#   deploy/standalone/flink.sh start-application [ARGS...]   the job in application mode (main() in the
#                                                            JobManager, as docker's standalone-job and the
#                                                            Kubernetes operator run it) + TaskManager(s)
#   deploy/standalone/flink.sh start-taskmanager             a TaskManager in place of a lost one
#   deploy/standalone/flink.sh submit [ingest] [-p N] [ARGS...]  flink run -d [-p N] <job jar> ARGS (ingest: the ingest job)
#   deploy/standalone/flink.sh stop-with-savepoint JOB_ID    savepoint under run/savepoints, job stops
#   deploy/standalone/flink.sh resume SAVEPOINT [-p N] [ARGS...]  flink run -d -s SAVEPOINT [-p N] <job jar> ARGS
#                                                            (-p N: parallelism, e.g. to rescale)
#   deploy/standalone/flink.sh list | cli ARGS...            flink list / any flink CLI command
#   deploy/standalone/flink.sh stop                          stop the cluster
# Environment: FLINK_REST_PORT (8081), FLINK_RUN_DIR (deploy/standalone/run), JOB_JAR (the
# project's flink-job/target/stream-highlights-job.jar), TASKMANAGERS (1: how many TaskManager
# JVMs start starts) and TASKMANAGER_SLOTS (2: slots of each). Secrets such as MONGO_URI are read
# from the environment of `submit`/`resume` (the client builds the job), never from arguments.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
lib="$here/target/flink/lib"
run="${FLINK_RUN_DIR:-$here/run}"
port="${FLINK_REST_PORT:-8081}"
taskmanagers="${TASKMANAGERS:-1}"
slots="${TASKMANAGER_SLOTS:-2}"
conf="$run/conf"
jar="${JOB_JAR:-$root/flink-job/target/stream-highlights-job.jar}"

flags=(
  --add-exports=java.base/sun.net.util=ALL-UNNAMED
  --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
  --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.text=ALL-UNNAMED
  --add-opens=java.base/java.time=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED
)

die() { echo "flink.sh: $*" >&2; exit 1; }

setup() {
  if [[ ! -d "$lib" ]]; then
    (cd "$here" && mvn -B -q -Dstyle.color=never package) >&2
  fi
  mkdir -p "$conf" "$run/log" "$run/checkpoints" "$run/savepoints"
  sed -e "s|@RUN_DIR@|$run|g" -e "s|@REST_PORT@|$port|g" "$here/conf/config.yaml.template" > "$conf/config.yaml"
  cp "$here/conf/log4j.properties" "$here/conf/log4j-cli.properties" "$conf/"
}

# The memory flags and dynamic properties Flink's own start scripts compute (BashJavaUtils).
resource_params() {
  java -cp "$lib/*" org.apache.flink.runtime.util.bash.BashJavaUtils "$1" --configDir "$conf" 2>/dev/null \
    | grep '^BASH_JAVA_UTILS_EXEC_RESULT:' | sed 's/^BASH_JAVA_UTILS_EXEC_RESULT://'
}

# start_process NAME CLASS PARAMS [-D key=value ...]: the extra dynamic properties go to the JVM's
# entry class after Flink's own.
start_process() {
  local name=$1 class=$2 params=$3
  shift 3
  local jvm dyn
  jvm=$(resource_params "$params" | sed -n 1p)
  dyn=$(resource_params "$params" | sed -n 2p)
  [[ -n "$jvm" ]] || die "cannot compute the $name's memory settings (is the setup complete?)"
  # shellcheck disable=SC2086
  nohup java "${flags[@]}" $jvm -Dlog.file="$run/log/$name.log" \
    -Dlog4j.configurationFile="$conf/log4j.properties" \
    -cp "$lib/*${classpath:+:$classpath}" "$class" --configDir "$conf" $dyn "$@" > "$run/log/$name.out" 2>&1 &
  echo $! > "$run/$name.pid"
}

# Refuses to start a second cluster over a running one.
not_running() {
  if [[ -f "$run/jobmanager.pid" ]] && kill -0 "$(cat "$run/jobmanager.pid")" 2>/dev/null; then
    die "already running (pid $(cat "$run/jobmanager.pid")); stop it first"
  fi
}

# A TaskManager named NAME; an application's TaskManagers load the job's classes from the
# classpath (as from the image's usrlib in docker), which start-application notes for them.
start_taskmanager_process() {
  classpath="$(cat "$run/application-classpath" 2>/dev/null || true)" start_process "$1" \
    org.apache.flink.runtime.taskexecutor.TaskManagerRunner GET_TM_RESOURCE_PARAMS \
    -D "taskmanager.numberOfTaskSlots=$slots"
}

# The first is 'taskmanager' (start-taskmanager replaces it), more are taskmanager-2, -3, ...
start_taskmanagers() {
  start_taskmanager_process taskmanager
  for i in $(seq 2 "$taskmanagers"); do
    start_taskmanager_process "taskmanager-$i"
  done
}

# await_up REST_PATH PATTERN WHAT: waits until the REST answer at REST_PATH matches PATTERN, at
# most 60 s, and gives up at once if the JobManager exits.
await_up() {
  for _ in $(seq 1 60); do
    if curl -sf "http://127.0.0.1:$port$1" | grep -q "$2"; then
      echo "$3 up: web UI http://127.0.0.1:$port, logs in $run/log"
      return
    fi
    kill -0 "$(cat "$run/jobmanager.pid")" 2>/dev/null \
      || die "the JobManager exited: $(tail -n 3 "$run/log/jobmanager.out")"
    sleep 1
  done
  die "the $3 did not come up within 60 s; see $run/log"
}

start() {
  setup
  not_running
  rm -f "$run/application-classpath"
  start_process jobmanager org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint GET_JM_RESOURCE_PARAMS
  start_taskmanagers
  await_up /overview "\"taskmanagers\":$taskmanagers," "Flink cluster"
}

# The job in application mode: the JobManager runs the job jar's main() with ARGS (JOB_CLASS picks
# the entry class). A bad configuration ends as a FAILED job with the job's message, as on
# Kubernetes (execution.submit-failed-job-on-application-error, a fixed job id).
start_application() {
  need_jar
  setup
  not_running
  echo "$jar" > "$run/application-classpath"
  classpath="$jar" start_process jobmanager \
    org.apache.flink.container.entrypoint.StandaloneApplicationClusterEntryPoint GET_JM_RESOURCE_PARAMS \
    -D execution.submit-failed-job-on-application-error=true \
    -D execution.shutdown-on-application-finish=false \
    --job-id "${JOB_ID:-00000000000000000000000000000001}" \
    --job-classname "${JOB_CLASS:-dev.streamhighlights.job.HighlightsJob}" "$@"
  start_taskmanagers
  await_up /jobs/overview '"jid"' "Flink application"
}

# A new TaskManager for the running cluster, e.g. after one was killed; its pid replaces the old
# one's (stop stops it), its log continues the old one's.
start_taskmanager() {
  [[ -f "$run/jobmanager.pid" ]] && kill -0 "$(cat "$run/jobmanager.pid")" 2>/dev/null \
    || die "no cluster running; use start"
  if [[ -f "$run/taskmanager.pid" ]] && kill -0 "$(cat "$run/taskmanager.pid")" 2>/dev/null; then
    die "a TaskManager is running (pid $(cat "$run/taskmanager.pid"))"
  fi
  start_taskmanager_process taskmanager
  echo "TaskManager started (pid $(cat "$run/taskmanager.pid"))"
}

stop() {
  local pids=()
  for file in "$run"/taskmanager*.pid "$run/jobmanager.pid"; do
    if [[ -f "$file" ]]; then
      pids+=("$(cat "$file")")
      kill "${pids[-1]}" 2>/dev/null || true
      rm -f "$file"
    fi
  done
  # Wait until they are gone (they may still be writing checkpoints and logs), at most 30 s.
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 60); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
    kill -9 "$pid" 2>/dev/null || true
  done
  rm -f "$run/application-classpath"
  echo "Flink cluster stopped"
}

cli() {
  [[ -d "$lib" ]] || die "run setup first"
  FLINK_CONF_DIR="$conf" java "${flags[@]}" -Dlog.file="$run/log/client.log" \
    -Dlog4j.configurationFile="$conf/log4j-cli.properties" \
    -cp "$lib/*" org.apache.flink.client.cli.CliFrontend "$@"
}

need_jar() {
  [[ -f "$jar" ]] || die "no job jar at $jar; build it with: mvn -DskipTests package"
}

case "${1:-}" in
  setup) setup ;;
  start) start ;;
  start-application) shift; start_application "$@" ;;
  start-taskmanager) start_taskmanager ;;
  stop) stop ;;
  submit) shift; need_jar
    # 'submit ingest ARGS' runs the ingest job (its own entry class) instead of the detection job.
    entry=()
    if [[ "${1:-}" == ingest ]]; then shift; entry=(-c dev.streamhighlights.job.ChatIngestJob); fi
    parallelism=()
    if [[ "${1:-}" == -p ]]; then parallelism=(-p "$2"); shift 2; fi
    cli run -d "${entry[@]}" "${parallelism[@]}" "$jar" "$@" ;;
  stop-with-savepoint) shift; [[ $# -ge 1 ]] || die "usage: stop-with-savepoint JOB_ID"
    cli stop --type canonical --savepointPath "file://$run/savepoints" "$1" ;;
  resume) shift; [[ $# -ge 1 ]] || die "usage: resume SAVEPOINT_PATH [ARGS...]"; need_jar
    sp=$1; shift
    parallelism=()
    if [[ "${1:-}" == -p ]]; then parallelism=(-p "$2"); shift 2; fi
    cli run -d -s "$sp" "${parallelism[@]}" "$jar" "$@" ;;
  list) cli list ;;
  cli) shift; cli "$@" ;;
  *) sed -n '2,18p' "$0"; exit 2 ;;
esac
