#!/usr/bin/env bash
# Start or stop the eight Cairn services as background processes of the current user.
#   services.sh up      build (debug, or CAIRN_BUILD_CONFIG=release; CAIRN_SERVICES_BUILD=0 skips
#                       it), start every service not yet running, wait until all /ready are 200
#   services.sh down    SIGTERM each service by its pid file, wait for the drain, SIGKILL stragglers
#   services.sh status  one line per service
# Logs: .run/logs/<service>.log (JSON lines). Pids: .run/pids/<service>.pid.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"

# name:port — the executable products of Package.swift and their ports: CAIRN_PORT_BASE (8080 by
# default) and the seven after it; the gateway's admin port (/metrics) is CAIRN_PORT_BASE + 1000.
# A second stack (a test, a benchmark) runs beside the first with another CAIRN_PORT_BASE and
# CAIRN_RUN_DIR.
PORT_BASE="${CAIRN_PORT_BASE:-8080}"
NAMES=(gateway auth billing ingestion embedding vector-search generation chat-orchestrator)
SERVICES=()
for i in "${!NAMES[@]}"; do
  SERVICES+=("${NAMES[$i]}:$((PORT_BASE + i))")
  upstream_var="CAIRN_$(echo "${NAMES[$i]}" | tr 'a-z-' 'A-Z_')_URL"
  export "$upstream_var=${!upstream_var:-http://127.0.0.1:$((PORT_BASE + i))}"
done
export CAIRN_GATEWAY_ADMIN_PORT="${CAIRN_GATEWAY_ADMIN_PORT:-$((PORT_BASE + 1000))}"
LOGS="$CAIRN_RUN_DIR/logs"
PIDS="$CAIRN_RUN_DIR/pids"
READY_TIMEOUT="${CAIRN_READY_TIMEOUT:-90}"
# debug (the default) or release (benchmarks: `make loadtest`, `bench.sh chat`).
BUILD_CONFIG="${CAIRN_BUILD_CONFIG:-debug}"

# A process that exited but is not yet reaped (a zombie: its parent is init, which may reap
# late) counts as gone.
pid_alive() { [[ -r "/proc/$1/stat" ]] && [[ "$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null)" != Z ]]; }
alive() { [[ -f "$PIDS/$1.pid" ]] && pid_alive "$(cat "$PIDS/$1.pid")"; }

# Local secrets, generated once per checkout into .run/secrets.env (never committed): auth's
# key-encryption key, the first system admin's password, and the services' client secrets.
local_secrets() {
  local file="$CAIRN_RUN_DIR/secrets.env"
  if [[ ! -f "$file" ]]; then
    local secret; secret() { head -c 24 /dev/urandom | base64 | tr -d '/+='; }
    umask 077
    {
      echo "CAIRN_AUTH_KEY_ENCRYPTION_KEY=$(head -c 32 /dev/urandom | base64)"
      echo "CAIRN_AUTH_BOOTSTRAP_ADMIN_EMAIL=admin@cairn.local"
      echo "CAIRN_AUTH_BOOTSTRAP_ADMIN_PASSWORD=$(secret)"
      local clients=() name
      for name in gateway billing ingestion embedding vector-search generation chat-orchestrator; do clients+=("$name=$(secret)"); done
      echo "CAIRN_AUTH_SERVICE_CLIENTS=$(IFS=,; echo "${clients[*]}")"
    } >"$file"
  fi
  set -a; . "$file"; set +a
}

# The service's own secret from CAIRN_AUTH_SERVICE_CLIENTS (name=secret,...); empty for auth.
client_secret() {
  local pair
  for pair in ${CAIRN_AUTH_SERVICE_CLIENTS//,/ }; do
    [[ "${pair%%=*}" == "$1" ]] && { echo "${pair#*=}"; return; }
  done
}

up() {
  mkdir -p "$LOGS" "$PIDS"
  local_secrets
  # CAIRN_SERVICES_BUILD=0 restarts what is built (the fault test's supervisor: a restart
  # after a crash must not wait for SwiftPM).
  [[ "${CAIRN_SERVICES_BUILD:-1}" == 0 ]] || (cd "$REPO" && swift build -c "$BUILD_CONFIG")
  local bin; bin="$(cd "$REPO" && swift build -c "$BUILD_CONFIG" --show-bin-path)"
  "$bin/cairn-admin" ensure-topics
  for entry in "${SERVICES[@]}"; do
    local name="${entry%%:*}" port="${entry##*:}"
    if alive "$name"; then echo "$name: already running (pid $(cat "$PIDS/$name.pid"))"; continue; fi
    CAIRN_HTTP_PORT="$port" CAIRN_SERVICE_CLIENT_SECRET="$(client_secret "$name")" \
      nohup "$bin/$name" >>"$LOGS/$name.log" 2>&1 </dev/null &
    echo $! >"$PIDS/$name.pid"
  done
  wait_ready
  load_samples
  echo
  for entry in "${SERVICES[@]}"; do printf '  %-18s http://127.0.0.1:%s  (/health /ready /metrics)\n' "${entry%%:*}" "${entry##*:}"; done
  echo "  logs: $LOGS/<service>.log"
  echo "  system admin: $CAIRN_AUTH_BOOTSTRAP_ADMIN_EMAIL (organisation cairn-platform), password: CAIRN_AUTH_BOOTSTRAP_ADMIN_PASSWORD in $CAIRN_RUN_DIR/secrets.env"
  echo
  echo "  web app: $CAIRN_GATEWAY_URL/"
  echo "  sign in: organisation demo, $CAIRN_DEMO_EMAIL, password: CAIRN_DEMO_PASSWORD in $CAIRN_RUN_DIR/secrets.env"
  echo "           (the sample documents are in its collection samples)"
}

# The demo organisation (`demo`, its admin CAIRN_DEMO_EMAIL) with the sample documents
# (deploy/samples, Markdown) in its collection `samples`, made through the gateway; a re-run
# resubmits the same content, a no-op. A failure is reported, not fatal: the services are up
# either way. (A secrets.env from before the demo organisation gets its demo lines added.)
load_samples() {
  local file="$CAIRN_RUN_DIR/secrets.env"
  if [[ -z "${CAIRN_DEMO_PASSWORD:-}" ]]; then
    echo "CAIRN_DEMO_EMAIL=demo@cairn.local" >>"$file"
    echo "CAIRN_DEMO_PASSWORD=Cairn-$(head -c 24 /dev/urandom | base64 | tr -d '/+=')" >>"$file"
    set -a; . "$file"; set +a
  fi
  python3 "$REPO/deploy/tools/load_samples.py" "$CAIRN_GATEWAY_URL" "$CAIRN_DEMO_EMAIL" "$CAIRN_DEMO_PASSWORD" \
    "$REPO/deploy/samples" || echo "loading the sample documents failed (see above); the services are up" >&2
}

wait_ready() {
  local deadline=$((SECONDS + READY_TIMEOUT))
  for entry in "${SERVICES[@]}"; do
    local name="${entry%%:*}" port="${entry##*:}"
    until [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/ready")" == 200 ]]; do
      if ! alive "$name"; then
        echo "$name exited; last log lines:" >&2; tail -n 30 "$LOGS/$name.log" >&2; exit 1
      fi
      if ((SECONDS > deadline)); then
        echo "$name not ready after ${READY_TIMEOUT}s: $(curl -s "http://127.0.0.1:$port/ready")" >&2; exit 1
      fi
      sleep 0.5
    done
    echo "$name: ready"
  done
}

down() {
  # Signal every service first so they drain in parallel, then wait for each.
  local names=()
  for entry in "${SERVICES[@]}"; do
    local name="${entry%%:*}"
    if alive "$name"; then kill -TERM "$(cat "$PIDS/$name.pid")"; names+=("$name"); else rm -f "$PIDS/$name.pid"; fi
  done
  # Drain time is CAIRN_SHUTDOWN_GRACE_SECONDS (10 s by default); allow a little more.
  local deadline=$((SECONDS + 15))
  for name in "${names[@]}"; do
    while alive "$name" && ((SECONDS < deadline)); do sleep 0.1; done
    if alive "$name"; then echo "$name did not stop in time; killing" >&2; kill -KILL "$(cat "$PIDS/$name.pid")"; fi
    echo "$name: stopped"
    rm -f "$PIDS/$name.pid"
  done
}

status() {
  for entry in "${SERVICES[@]}"; do
    local name="${entry%%:*}" port="${entry##*:}"
    if alive "$name"; then
      echo "$name: running (pid $(cat "$PIDS/$name.pid")), /ready $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/ready")"
    else
      echo "$name: stopped"
    fi
  done
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
