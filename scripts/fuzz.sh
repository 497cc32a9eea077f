#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ with clang and runs each for a while.
#   scripts/fuzz.sh [SECONDS_PER_TARGET]   (default 60; CI uses ~30)
# Installs clang and libclang-rt-14-dev from Debian when missing (root or
# sudo). Seed corpus: every file of tests/fixtures/arxiv/ plus a sample day
# feed; new inputs go to build-fuzz/corpus/<target>/, crashes to
# build-fuzz/artifacts/. The same corpus and mutations also run in every
# ctest as ParserFuzzRegressionTest (no clang needed).
set -euo pipefail

SECONDS_PER_TARGET="${1:-60}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="${FUZZ_BUILD_DIR:-$ROOT/build-fuzz}"

need=()
command -v clang++ >/dev/null || need+=(clang)
ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a \
  >/dev/null 2>&1 || need+=(libclang-rt-14-dev)
if [ ${#need[@]} -gt 0 ]; then
  echo "fuzz: installing ${need[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER=clang++ -DARXIV_DIGEST_FUZZ=ON \
  -DARXIV_DIGEST_BUILD_TESTS=OFF >/dev/null
cmake --build "$BUILD" --target feed_parser_fuzzer

for target in feed_parser_fuzzer; do
  corpus="$BUILD/corpus/$target"
  seeds="$BUILD/seeds/$target"
  mkdir -p "$corpus" "$seeds" "$BUILD/artifacts"
  find "$ROOT/tests/fixtures/arxiv" -type f -exec cp {} "$seeds/" \;
  cp "$ROOT/data/sample/2025-04-08/cs.SD+eess.AS.xml" "$seeds/sample-day.xml"
  echo "fuzz: $target for ${SECONDS_PER_TARGET}s"
  "$BUILD/fuzz/$target" "$corpus" "$seeds" \
    -max_total_time="$SECONDS_PER_TARGET" -max_len=262144 -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$BUILD/artifacts/$target-"
done
