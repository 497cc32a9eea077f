#!/usr/bin/env bash
# ASan + UBSan: builds everything with -DARXIV_DIGEST_SANITIZE=ON into
# build-asan/ (the service binaries too, so the integration and chaos tests
# run sanitized processes) and runs the unit and integration tests there.
#   scripts/sanitize.sh                 # every suite but deploy (not C++)
#   scripts/sanitize.sh -L chaos        # extra ctest arguments are passed on
# Any sanitizer report fails the test that triggered it (halt_on_error);
# the report is in that test's output (--output-on-failure).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="${ASAN_BUILD_DIR:-$ROOT/build-asan}"

"$ROOT/scripts/install_deps.sh"
# RelWithDebInfo: -O2 keeps the integration tests within their deadlines;
# -fno-omit-frame-pointer (set by the option) keeps stacks readable.
cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DARXIV_DIGEST_SANITIZE=ON -DARXIV_DIGEST_BUILD_BENCH=OFF >/dev/null
cmake --build "$BUILD" -j"$(nproc)"

# Child processes (the services under test) inherit these. LeakSanitizer
# needs ptrace: where a container forbids it, run with ASAN_OPTIONS=detect_leaks=0.
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:check_initialization_order=1:strict_init_order=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
cd "$BUILD"
if [ $# -eq 0 ]; then
  set -- -LE deploy
fi
ctest --output-on-failure --timeout 900 -j"$(nproc)" "$@"
