#!/usr/bin/env bash
# The test command: toolchain, dependencies, services, then build + typecheck + every
# package's tests (with coverage) through turbo, and one closing line
# "N passed, N failed, N skipped" summed over all packages.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
started=$(date +%s)
. tooling/scripts/install.sh
. tooling/scripts/services-env.sh
# The HTML report's browser test needs Chromium; under CI a missing one is installed, not skipped.
if [ "${CI:-}" = true ]; then bash tooling/scripts/ensure-chromium.sh; fi
rm -rf packages/*/test-results apps/*/test-results tooling/*/test-results
status=0
pnpm exec turbo run build typecheck test --concurrency=2 --continue --output-logs=full --log-order=grouped "$@" || status=$?
summary=0
node tooling/scripts/test-summary.ts || summary=1
if [ $status -ne 0 ] && [ $summary -eq 0 ]; then
  echo "probe: a build, typecheck or test task failed without a failed test (a type error, or a coverage floor not met): search this log for ERROR"
fi
[ $summary -eq 0 ] || status=1
echo "probe: tests took $(( $(date +%s) - started )) s"
exit $status
