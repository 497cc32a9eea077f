#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ with clang and runs each for a while.
#   scripts/fuzz.sh [SECONDS_PER_TARGET]   (default 60; CI uses ~30)
# Installs clang and libclang-rt-14-dev from Debian when missing (root or
# sudo). Targets and seeds: feed_parser_fuzzer (every file of
# tests/fixtures/arxiv/ plus a sample day feed), reply_parser_fuzzer
# (fuzz/corpus/reply/, LLM replies and chat-completion bodies) and
# config_parser_fuzzer (fuzz/corpus/config/, config.ini and authors.txt);
# new inputs go to build-fuzz/corpus/<target>/, crashes to
# build-fuzz/artifacts/. The same corpora and mutations also run in every
# ctest as ParserFuzzRegressionTest and ParserMutationTest (no clang needed).
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
TARGETS=(feed_parser_fuzzer reply_parser_fuzzer config_parser_fuzzer)
cmake --build "$BUILD" --target "${TARGETS[@]}"

# Debian's RapidJSON 1.1.0 trips clang's null-pointer-offset check in its
# own stack (Tencent/rapidjson#1724): suppressed, see fuzz/ubsan.supp.
export UBSAN_OPTIONS="suppressions=$ROOT/fuzz/ubsan.supp:print_stacktrace=1"
for target in "${TARGETS[@]}"; do
  corpus="$BUILD/corpus/$target"
  seeds="$BUILD/seeds/$target"
  mkdir -p "$corpus" "$seeds" "$BUILD/artifacts"
  extra=(-max_len=262144)
  case "$target" in
    feed_parser_fuzzer)
      find "$ROOT/tests/fixtures/arxiv" -type f -exec cp {} "$seeds/" \;
      cp "$ROOT/data/sample/2025-04-08/cs.SD+eess.AS.xml" "$seeds/sample-day.xml"
      ;;
    reply_parser_fuzzer)
      cp "$ROOT"/fuzz/corpus/reply/* "$seeds/"
      extra=(-max_len=16384 -dict="$ROOT/fuzz/reply_parser.dict")
      ;;
    config_parser_fuzzer)
      cp "$ROOT"/fuzz/corpus/config/* "$seeds/"
      extra=(-max_len=8192 -dict="$ROOT/fuzz/config_parser.dict")
      ;;
  esac
  echo "fuzz: $target for ${SECONDS_PER_TARGET}s"
  "$BUILD/fuzz/$target" "$corpus" "$seeds" \
    -max_total_time="$SECONDS_PER_TARGET" -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 "${extra[@]}" \
    -artifact_prefix="$BUILD/artifacts/$target-"
done
