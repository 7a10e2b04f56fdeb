#!/usr/bin/env bash
# The whole test suite: typecheck, then every vitest project (unit, PGlite, PostgreSQL), then the
# plain closing line. PostgreSQL must be up (see .ci/run, which starts it when it is down).
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p test-results
tsc -p tsconfig.json || exit 1
vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json "$@"
status=$?
node scripts/test-summary.mjs test-results/vitest.json "$status"
