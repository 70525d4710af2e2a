#!/usr/bin/env bash
# Run the whole test suite against real Postgres, Redis and Kafka (started if not running,
# and then stopped again). Extra arguments go to `swift test` (e.g. --filter CairnKafkaTests).
#
# Without arguments the suites run in three phases, each in parallel inside: the platform's
# foundation, auth, billing and gateway; then embedding and generation; then vector search and
# ingestion. The later targets run models, build indexes and kill and restart executables;
# on two cores, all of it at once starves the timing-sensitive tests of the others.
#
# Before the Swift phases: the deploy checks (deploy/tools/validate_deploy.py: Kubernetes
# manifests, Compose file, dashboards, alert rules), offline and in seconds. `test.sh deploy`
# runs only them. A failure there fails the run, after the Swift phases have run too.
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
. "$here/env.sh"
cd "$REPO"
deploy_checks() { "$CAIRN_VENV/bin/python" "$REPO/deploy/tools/validate_deploy.py" "$@"; }
if [[ ${1:-} == deploy ]]; then
  shift
  deploy_checks "$@"
  exit
fi
if (($# > 0)); then
  exec "$here/infra.sh" with bash -c 'swift build --build-tests && swift test --skip-build "$@"' swift-test "$@"
fi
deploy_status=0
deploy_checks || deploy_status=1
heavy='EmbeddingTests|GenerationTests|VectorSearchTests|IngestionTests|ChatOrchestratorTests'
swift_status=0
"$here/infra.sh" with bash -c '
  swift build --build-tests
  status=0
  swift test --skip-build --skip "'"$heavy"'" || status=1
  swift test --skip-build --filter "EmbeddingTests|GenerationTests" || status=1
  swift test --skip-build --filter "VectorSearchTests|IngestionTests|ChatOrchestratorTests" || status=1
  exit $status
' || swift_status=$?
((deploy_status == 0)) || echo 'test.sh: the deploy checks failed (see above)' >&2
exit $((swift_status ? swift_status : deploy_status))
