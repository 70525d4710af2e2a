#!/usr/bin/env bash
# `make bench`: builds the benchmark in release mode and runs it against the local
# infrastructure (started if not running, then stopped again). Prints JSON lines.
#   bench.sh [kafka|redis|auth|billing|gateway|embedding|vector-search|all]
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
. "$here/env.sh"
"$here/bench-deps.sh" >&2
export PATH="$CAIRN_DEPS_DIR/kcat/bin:$PATH"
cd "$REPO"
swift build -c release --product cairn-bench >&2
"$here/infra.sh" with "$(swift build -c release --show-bin-path)/cairn-bench" "${1:-all}"
