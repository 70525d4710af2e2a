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
#
# After the Swift phases: the stack phase, `pytest tests/e2e` against the real executables in a
# whole stack of their own (tests/e2e/conftest.py starts and stops it): its own Postgres, Redis
# and Kafka on CAIRN_E2E_PORT_BASE + 10/11/12, the services on CAIRN_E2E_PORT_BASE (28080 by
# default, clear of the default stack's 8080+ and CI's infra ports) and the seven after it, state
# in CAIRN_E2E_RUN_DIR (.run/e2e-make-test). `test.sh e2e` runs only it (extra arguments go
# to pytest instead of tests/e2e: `test.sh e2e tests/e2e/test_end_to_end.py -x`). On a
# failure the tail of every service's log is printed.
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
# The stack phase: pytest over tests/e2e; its status is pytest's.
e2e_tests() {
  local run_dir="${CAIRN_E2E_RUN_DIR:-$REPO/.run/e2e-make-test}" status=0
  CAIRN_E2E_PORT_BASE="${CAIRN_E2E_PORT_BASE:-28080}" CAIRN_E2E_RUN_DIR="$run_dir" \
    "$CAIRN_VENV/bin/python" -m pytest -q -p no:cacheprovider "${@:-$REPO/tests/e2e}" || status=$?
  if ((status != 0)) && [[ -d $run_dir/logs ]]; then
    local log
    for log in "$run_dir"/logs/*.log; do
      echo "---- test.sh e2e: last lines of $log" >&2
      tail -n 25 "$log" >&2
    done
  fi
  return "$status"
}
if [[ ${1:-} == e2e ]]; then
  shift
  e2e_tests "$@"
  exit
fi
if (($# > 0)); then
  exec "$here/infra.sh" with bash -c 'swift build --build-tests && swift test --skip-build "$@"' swift-test "$@"
fi
deploy_status=0
deploy_checks || deploy_status=1
heavy='EmbeddingTests|GenerationTests|VectorSearchTests|IngestionTests|ChatOrchestratorTests'
swift_status=0
# Exit status 3: the infrastructure did not start (infra.sh); 4: the build failed. Either way the
# stack phase would fail the same way after minutes, so it is skipped.
"$here/infra.sh" with bash -c '
  swift build --build-tests || exit 4
  status=0
  swift test --skip-build --skip "'"$heavy"'" || status=1
  swift test --skip-build --filter "EmbeddingTests|GenerationTests" || status=1
  swift test --skip-build --filter "VectorSearchTests|IngestionTests|ChatOrchestratorTests" || status=1
  exit $status
' || swift_status=$?
if ((swift_status == 3 || swift_status == 4)); then
  ((deploy_status == 0)) || echo 'test.sh: the deploy checks failed (see above)' >&2
  echo "test.sh: $( ((swift_status == 3)) && echo 'the infrastructure did not start' || echo 'the build failed'); the end-to-end phase is skipped" >&2
  exit "$swift_status"
fi
e2e_status=0
e2e_tests || e2e_status=$?
((deploy_status == 0)) || echo 'test.sh: the deploy checks failed (see above)' >&2
((e2e_status == 0)) || echo 'test.sh: the end-to-end tests failed (see above)' >&2
exit $((swift_status ? swift_status : deploy_status ? deploy_status : e2e_status))
