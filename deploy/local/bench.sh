#!/usr/bin/env bash
# `make bench`: builds the benchmark in release mode and runs it against the local
# infrastructure (started if not running, then stopped again). Prints JSON lines.
#   bench.sh [kafka|redis|auth|billing|gateway|embedding|vector-search|chat|all]
#   bench.sh loadtest   `make loadtest` (not part of `all`): 100 users x 10 chats, then the soak
# chat and loadtest run deploy/tools/chat_bench.py: the release-built services as a stack of
# their own (port base CAIRN_BENCH_PORT_BASE, 24080; run dir CAIRN_BENCH_RUN_DIR, .run/bench).
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
. "$here/env.sh"
mode="${1:-all}"
chat_bench() { CAIRN_BUILD_CONFIG=release "$CAIRN_VENV/bin/python" "$REPO/deploy/tools/chat_bench.py" "$1"; }
case "$mode" in
  chat) chat_bench bench; exit ;;
  loadtest) chat_bench loadtest; exit ;;
esac
"$here/bench-deps.sh" >&2
export PATH="$CAIRN_DEPS_DIR/kcat/bin:$PATH"
cd "$REPO"
swift build -c release --product cairn-bench >&2
"$here/infra.sh" with "$(swift build -c release --show-bin-path)/cairn-bench" "$mode"
if [[ $mode == all ]]; then chat_bench bench; fi
