#!/usr/bin/env bash
# Run the whole test suite against real Postgres, Redis and Kafka (started if not running,
# and then stopped again). Extra arguments go to `swift test` (e.g. --filter CairnKafkaTests).
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
. "$here/env.sh"
cd "$REPO"
"$here/infra.sh" with bash -c 'swift build --build-tests && swift test --skip-build "$@"' swift-test "$@"
