#!/usr/bin/env bash
# What `make bench` needs beyond deps.sh: the reference tools our clients are measured against.
#   kcat            built from Debian's source package against the repo-local librdkafka 2.8
#                   (Debian's binary links librdkafka 2.0.2, which cannot talk to Tansu)
#   redis-benchmark from redis-tools (already installed with redis-server)
#   wrk and nginx   (Debian) the gateway is measured beside nginx proxying the same upstream
# Idempotent: a second run only checks.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
LOG_TAG=bench-deps
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

KCAT_PREFIX="$CAIRN_DEPS_DIR/kcat"
if [[ -x "$KCAT_PREFIX/bin/kcat" ]]; then
  log "ok: kcat in $KCAT_PREFIX"
else
  if ! dpkg -s libyajl-dev >/dev/null 2>&1; then
    apt_get update >/dev/null && apt_get install -y --no-install-recommends libyajl-dev >/dev/null
  fi
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
command -v redis-benchmark >/dev/null || die "redis-benchmark missing: run deploy/local/deps.sh"
need=()
command -v wrk >/dev/null || need+=(wrk)
[[ -x /usr/sbin/nginx ]] || need+=(nginx-light)
if ((${#need[@]})); then
  log "apt-get install ${need[*]}"
  apt_get update >/dev/null && apt_get install -y --no-install-recommends "${need[@]}" >/dev/null
fi
