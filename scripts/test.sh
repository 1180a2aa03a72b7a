#!/usr/bin/env bash
# Builds sluice and runs every test: unit, integration (the real binary against the mock
# provider) and the Node conformance tests. Usage: scripts/test.sh [debug|release|asan]
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-debug}"

bash scripts/setup.sh
# setup.sh fetched the vocabularies: tests that need them fail rather than skip without them.
export SLUICE_REQUIRE_VOCABULARIES=1
# setup.sh installed redis-server: the Redis store's tests (each starts its own on loopback) fail
# rather than skip without it.
export SLUICE_REQUIRE_REDIS=1
# The Node tests' packages: installed when missing or older than the lockfile.
if [ -f tests/node/package-lock.json ] && { [ ! -f tests/node/node_modules/.package-lock.json ] ||
  [ tests/node/package-lock.json -nt tests/node/node_modules/.package-lock.json ]; }; then
  npm ci --prefix tests/node --no-audit --no-fund --loglevel=error
fi
source scripts/compiler_cache.sh
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset"
ctest --preset "$preset" --timeout 300
