#!/usr/bin/env bash
# Run the whole test suite against real Postgres, Redis and Kafka.
# Starts whatever infrastructure is not already running and stops exactly that afterwards,
# so `make test` during `make up` leaves the running stack alone.
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
. "$here/env.sh"

started=()
status="$("$here/infra.sh" status || true)"
for component in postgres redis kafka; do
  grep -qE "^$component +up " <<<"$status" || started+=("$component")
done
cleanup() { for component in "${started[@]}"; do "$here/infra.sh" stop "$component" || true; done; }
trap cleanup EXIT
for component in "${started[@]}"; do "$here/infra.sh" start "$component"; done

cd "$REPO"
swift build --build-tests
swift test --skip-build "$@"
