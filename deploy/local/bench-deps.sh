#!/usr/bin/env bash
# What `make bench` needs beyond deps.sh: the reference tools our clients are measured against.
#   kcat            (checked only: deps.sh builds it against the repo-local librdkafka 2.8)
#   redis-benchmark from redis-tools (already installed with redis-server)
#   wrk and nginx   (Debian) the gateway is measured beside nginx proxying the same upstream
#   sentence-transformers (PyTorch, CPU) in its own venv, $CAIRN_BENCH_VENV: the embedding
#                   model is measured beside it (deploy/tools/minilm_reference_bench.py)
# Idempotent: a second run only checks.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
LOG_TAG=bench-deps
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# kcat is built by deps.sh (the end-to-end tests use it too).
[[ -x "$CAIRN_DEPS_DIR/kcat/bin/kcat" ]] || die "kcat missing: run deploy/local/deps.sh"
command -v redis-benchmark >/dev/null || die "redis-benchmark missing: run deploy/local/deps.sh"
need=()
command -v wrk >/dev/null || need+=(wrk)
[[ -x /usr/sbin/nginx ]] || need+=(nginx-light)
if ((${#need[@]})); then
  log "apt-get install ${need[*]}"
  apt_get update >/dev/null && apt_get install -y --no-install-recommends "${need[@]}" >/dev/null
fi

# The embedding benchmark's reference: sentence-transformers on PyTorch (CPU), run by
# deploy/tools/minilm_reference_bench.py. torch from PyPI depends on its CUDA runtime wheels
# and does not import without them, even on CPU: about 5 GB, hence a venv of its own that
# neither deps.sh nor `make test` touches. (A CPU-only torch index would be smaller, but only
# PyPI is reachable here.) Checked by importing both, which is what the benchmark needs.
BPY="$CAIRN_BENCH_VENV/bin/python"
if [[ -x $BPY ]] && "$BPY" -c 'import sentence_transformers, torch' 2>/dev/null; then
  log "ok: sentence-transformers in $CAIRN_BENCH_VENV"
else
  if [[ ! -x $BPY ]]; then
    log "creating venv $CAIRN_BENCH_VENV"
    "${CAIRN_PYTHON:-/usr/bin/python3}" -m venv "$CAIRN_BENCH_VENV"
  fi
  start=$SECONDS
  log "pip install sentence-transformers in $CAIRN_BENCH_VENV (torch and its CUDA runtime wheels, ~5 GB: minutes)"
  "$BPY" -m pip install -q --disable-pip-version-check sentence-transformers \
    || die "pip install sentence-transformers failed (a rerun resumes)"
  "$BPY" -c 'import sentence_transformers, torch' || die "sentence-transformers installed but does not import"
  log "sentence-transformers $("$BPY" -c 'import sentence_transformers as s, torch as t; print(s.__version__, "torch", t.__version__)') installed ($((SECONDS - start)) s)"
fi

# The vector-search benchmark's anchors (../shared/bench/vectors_anchor.py): hnswlib, faiss and
# usearch, prebuilt wheels, into the same bench-only venv.
if "$BPY" -c 'import hnswlib, faiss, usearch, numpy' 2>/dev/null; then
  log "ok: hnswlib, faiss, usearch in $CAIRN_BENCH_VENV"
else
  log "pip install hnswlib faiss-cpu usearch in $CAIRN_BENCH_VENV"
  "$BPY" -m pip install -q --disable-pip-version-check hnswlib faiss-cpu usearch numpy \
    || die "pip install hnswlib faiss-cpu usearch failed (a rerun resumes)"
fi
