#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Regenerate the Swift code for the event schemas (`make protos`):
#   Protos/cairn/v1/*.proto  ->  Protos/Swift/*.pb.swift
# The output is committed, so neither CI nor `make up`/`make test` ever needs
# protoc. This script installs what it needs, idempotently:
#   - protoc (Debian's protobuf-compiler) when it is not on PATH;
#   - protoc-gen-swift built from apple/swift-protobuf at the tag Package.swift
#     pins, into the git-ignored $CAIRN_DEPS_DIR/protoc-gen-swift/ (a few
#     minutes on two cores, the first time only).
# PROTOC_GEN_SWIFT=/path/to/protoc-gen-swift uses an existing build instead
# (its version must still match).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=env.sh
. "$HERE/env.sh"

# Must match the swift-protobuf version in Package.swift: the generated code
# checks at compile time that the runtime library is the one it was made for.
SWIFT_PROTOBUF_VERSION=1.39.0
SWIFT_PROTOBUF_URL=https://github.com/apple/swift-protobuf
PLUGIN_DIR="$CAIRN_DEPS_DIR/protoc-gen-swift"
PROTO_ROOT="$REPO/Protos"
OUT_DIR="$REPO/Protos/Swift"

LOG_TAG=protos
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"


# ---- 1. protoc ----------------------------------------------------------------
if ! command -v protoc >/dev/null; then
  log "apt-get install protobuf-compiler"
  apt_get update >/dev/null
  apt_get install -y --no-install-recommends \
    protobuf-compiler >/dev/null
fi
# The well-known types (google/protobuf/timestamp.proto) ship with protoc.
WKT_INCLUDE=""
for d in /usr/include /usr/local/include; do
  [[ -f $d/google/protobuf/timestamp.proto ]] && { WKT_INCLUDE=$d; break; }
done
[[ -n $WKT_INCLUDE ]] || die "google/protobuf/timestamp.proto not found (is libprotobuf-dev/protobuf-compiler complete?)"

# ---- 2. protoc-gen-swift ------------------------------------------------------
plugin_version() { "$1" --version 2>/dev/null | awk '{print $NF}'; }

PLUGIN="${PROTOC_GEN_SWIFT:-$PLUGIN_DIR/bin/protoc-gen-swift}"
if [[ -x $PLUGIN && $(plugin_version "$PLUGIN") == "$SWIFT_PROTOBUF_VERSION" ]]; then
  :   # already built, right version
elif [[ -n ${PROTOC_GEN_SWIFT:-} ]]; then
  die "PROTOC_GEN_SWIFT=$PROTOC_GEN_SWIFT is not protoc-gen-swift $SWIFT_PROTOBUF_VERSION"
else
  start=$SECONDS
  src="$PLUGIN_DIR/src"
  rm -rf "$PLUGIN_DIR"   # no leftovers of an interrupted or older build
  mkdir -p "$PLUGIN_DIR/bin"
  log "building protoc-gen-swift $SWIFT_PROTOBUF_VERSION in $PLUGIN_DIR (a few minutes, the first time only)"
  if ! { git -c advice.detachedHead=false clone -q --depth 1 --branch "$SWIFT_PROTOBUF_VERSION" \
           "$SWIFT_PROTOBUF_URL" "$src" \
         && (cd "$src" && swift build -c release --product protoc-gen-swift); } >"$PLUGIN_DIR/build.log" 2>&1; then
    tail -n 30 "$PLUGIN_DIR/build.log" >&2
    die "protoc-gen-swift build failed; full log: $PLUGIN_DIR/build.log"
  fi
  cp "$(cd "$src" && swift build -c release --show-bin-path)/protoc-gen-swift" "$PLUGIN_DIR/bin/"
  rm -rf "$src"   # the checkout and its .build are ~1 GB; only the binary is kept
  PLUGIN="$PLUGIN_DIR/bin/protoc-gen-swift"
  [[ $(plugin_version "$PLUGIN") == "$SWIFT_PROTOBUF_VERSION" ]] \
    || die "built protoc-gen-swift reports '$("$PLUGIN" --version 2>&1)', expected $SWIFT_PROTOBUF_VERSION"
  log "protoc-gen-swift $SWIFT_PROTOBUF_VERSION built ($((SECONDS - start)) s)"
fi

# ---- 3. generate ----------------------------------------------------------------
# Into a scratch directory first, so a failing protoc leaves the committed
# files untouched; then replace every *.pb.swift (a deleted .proto loses its
# generated file too).
cd "$PROTO_ROOT"
mapfile -t protos < <(find cairn -name '*.proto' | LC_ALL=C sort)
((${#protos[@]})) || die "no .proto files under $PROTO_ROOT/cairn"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# Visibility=Public: services import the types from the CairnProtos module.
# FileNaming=PathToUnderscores: cairn/v1/usage.proto -> cairn_v1_usage.pb.swift,
# one flat folder for SwiftPM, no collisions between packages.
protoc -I "$PROTO_ROOT" -I "$WKT_INCLUDE" \
  --plugin=protoc-gen-swift="$PLUGIN" \
  --swift_opt=Visibility=Public \
  --swift_opt=FileNaming=PathToUnderscores \
  --swift_out="$tmp" \
  "${protos[@]}"
mkdir -p "$OUT_DIR"
find "$OUT_DIR" -maxdepth 1 -name '*.pb.swift' -delete
cp "$tmp"/*.pb.swift "$OUT_DIR/"
log "generated $(find "$OUT_DIR" -maxdepth 1 -name '*.pb.swift' | wc -l) files in Protos/Swift from ${#protos[@]} .proto files ($(protoc --version), protoc-gen-swift $(plugin_version "$PLUGIN"))"
