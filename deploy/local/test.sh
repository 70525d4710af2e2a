#!/usr/bin/env bash
# Run the whole test suite against real Postgres, Redis and Kafka (started if not running,
# and then stopped again). Extra arguments go to `swift test` (e.g. --filter CairnKafkaTests).
#
# Without arguments the suites run in three phases, each in parallel inside: the platform's
# foundation, auth, billing and gateway; then embedding and generation; then vector search and
# ingestion. The later targets run models, build indexes and kill and restart executables;
# on two cores, all of it at once starves the timing-sensitive tests of the others.
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
. "$here/env.sh"
cd "$REPO"
if (($# > 0)); then
  exec "$here/infra.sh" with bash -c 'swift build --build-tests && swift test --skip-build "$@"' swift-test "$@"
fi
heavy='EmbeddingTests|GenerationTests|VectorSearchTests|IngestionTests'
"$here/infra.sh" with bash -c '
  swift build --build-tests
  status=0
  swift test --skip-build --skip "'"$heavy"'" || status=1
  swift test --skip-build --filter "EmbeddingTests|GenerationTests" || status=1
  swift test --skip-build --filter "VectorSearchTests|IngestionTests" || status=1
  exit $status
'
