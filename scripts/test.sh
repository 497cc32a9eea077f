#!/usr/bin/env bash
# The test command: installs what is missing, builds, runs every test with
# ctest (unit, integration against real redis-server on loopback, ..., and
# the format, clang-tidy and layer checks: ctest -L lint, scripts/lint.sh).
# Exits non-zero when anything fails or when no test ran.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install_deps.sh
./scripts/build.sh
BUILD_DIR="${BUILD_DIR:-build}"
cd "$BUILD_DIR"
ctest --output-on-failure --timeout 600 -j"$(nproc)" -LE '^containers$' "$@"
