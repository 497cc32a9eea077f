# Format, lint and layer checks as ctest tests (ctest -L lint), so
# ./scripts/test.sh (= .ci/run) fails on a clang-format diff, a clang-tidy
# warning in lib/ or services/, or a layer violation. Each runs
# scripts/lint.sh <check>; a missing clang-format/clang-tidy fails the test.
# Included from tests/CMakeLists.txt.
set(LINT_SH ${PROJECT_SOURCE_DIR}/scripts/lint.sh)

add_test(NAME format_check COMMAND ${LINT_SH} format)
set_tests_properties(format_check PROPERTIES LABELS lint TIMEOUT 120)

add_test(NAME layers_check COMMAND ${LINT_SH} layers)
set_tests_properties(layers_check PROPERTIES LABELS lint TIMEOUT 60)

# The layer check must catch what it claims to: a throw-away tree under the
# build dir with one violation per rule, which the check has to report.
add_test(NAME layers_check_selftest
  COMMAND sh -c [=[
set -e
t="$1/layers_selftest"; rm -rf "$t"
mkdir -p "$t/scripts" "$t/lib/core" "$t/lib/json" "$t/services/x/logic"
cp "$2/scripts/check_layers.sh" "$t/scripts/"
printf '#include "lib/redis/keys.h"\n#include <thread>\n' > "$t/lib/core/a.cc"
printf '#include "lib/log/log.h"\n#include "services/x/logic/b.h"\n' > "$t/lib/json/a.cc"
printf '#include "services/x/adapters/c.h"\n#include <hiredis/hiredis.h>\nauto t = std::chrono::steady_clock::now();\n' > "$t/services/x/logic/b.cc"
if out=$("$t/scripts/check_layers.sh" 2>&1); then echo "check passed a bad tree"; exit 1; fi
echo "$out"
for rule in io-module io-header lib-graph lib-up clock; do
  echo "$out" | grep -q "\[$rule\]" || { echo "rule $rule not reported"; exit 1; }
done
rm -rf "$t"
]=] selftest ${PROJECT_BINARY_DIR} ${PROJECT_SOURCE_DIR})
set_tests_properties(layers_check_selftest PROPERTIES LABELS lint TIMEOUT 60)

# clang-tidy over lib/ and services/ with build/compile_commands.json; needs
# the build (generated proto headers). Results of unchanged files come from
# ~/.cache/arxiv-digest/clang-tidy (scripts/lint.sh). PROCESSORS: it runs $(nproc) clang-tidy jobs.
cmake_host_system_information(RESULT LINT_NPROC QUERY NUMBER_OF_LOGICAL_CORES)
add_test(NAME tidy_check COMMAND ${CMAKE_COMMAND} -E env
  BUILD_DIR=${PROJECT_BINARY_DIR} ${LINT_SH} tidy)
set_tests_properties(tidy_check PROPERTIES LABELS lint TIMEOUT 600
  PROCESSORS ${LINT_NPROC})
