#!/usr/bin/env bash
# Layer check: pure code (services/*/logic/ and the pure lib/ modules) does
# no I/O, and lib/ never reaches up into services/. Prints one line per
# violation, "file:line: [rule] #include ...", and exits 1 if there is any.
# Run by ./scripts/lint.sh layers and ctest (layers_check, label lint).
#
# Rules (the lib module graph mirrors lib/CMakeLists.txt; keep them in sync):
#   io-header   a pure file includes an adapter or I/O header (list below)
#   io-module   a pure file includes lib/{redis,metrics,app,http_transport}/
#   lib-up      a lib/ file includes services/, tools/, tests/ or bench/
#   lib-graph   lib/<a>/ includes lib/<b>/ where <b> is not a dependency of
#               <a> in lib/CMakeLists.txt
#   clock       services/*/logic/ reads the time or sleeps directly instead
#               of going through the Clock port (lib/core/clock.h)
set -euo pipefail
cd "$(dirname "$0")/.."

PURE_MODULES="core text json log config prompt contract http"
IO_MODULES="http_transport redis metrics app"

# Allowed lib -> lib includes (besides the module itself).
declare -A LIB_DEPS=(
  [core]=""
  [text]="core"
  [json]="core"
  [config]="core text"
  [log]="core config json"
  [prompt]="core config text"
  [contract]="core json text"
  [http]="core log text"
  [http_transport]="core log http text"
  [redis]="core json log config contract text"
  [metrics]="core log redis http_transport"
  [app]="core text json log config prompt contract http http_transport redis metrics"
)

# Headers that mean I/O (or a transport) when included from pure code.
# <cstdio>, <chrono>, <mutex>, <atomic>, <random> and <csignal> stay allowed:
# lib/log writes stderr, time values are plain data, lib/core/shutdown
# installs the signal handler.
IO_HEADER_RE='^(.*adapters/.*|hiredis/.*|httplib\.h|grpc/.*|grpcpp/.*|grpc\+\+/.*|prometheus/.*|.*\.pb\.h|fstream|filesystem|thread|future|iostream|unistd\.h|fcntl\.h|poll\.h|netdb\.h|sys/.*|netinet/.*|arpa/.*|curl/.*|openssl/.*)$'

# Per-file exemptions from io-header, each with the reason:
#   lib/config/*: reading config.ini, authors.txt and profile files is what
#     the config module is for (<fstream>, <filesystem>).
#   lib/core/clock.cc: the one real clock; SleepFor needs <thread>.
exempt() {
  local file=$1 header=$2
  case "$file:$header" in
    lib/config/*:fstream | lib/config/*:filesystem) return 0 ;;
    lib/core/clock.cc:thread) return 0 ;;
  esac
  return 1
}

violations=0
report() {
  echo "$1:$2: [$3] $4"
  violations=$((violations + 1))
}

module_of() {  # lib/<m>/... -> <m>
  local rest=${1#lib/}
  echo "${rest%%/*}"
}

is_pure_file() {
  case "$1" in
    services/*/logic/*) return 0 ;;
    lib/*/*)
      local m
      m=$(module_of "$1")
      [[ " $PURE_MODULES " == *" $m "* ]] && return 0 ;;
  esac
  return 1
}

files=$( { find lib -type f \( -name '*.cc' -o -name '*.h' \);
           find services -path '*/logic/*' -type f \( -name '*.cc' -o -name '*.h' \); } | sort)

for f in $files; do
  pure=0
  is_pure_file "$f" && pure=1
  # "#include <x>" or "#include "x"": line number and header name.
  while IFS=: read -r line header; do
    [ -n "$header" ] || continue
    if [ $pure = 1 ]; then
      if [[ $header =~ ^lib/([a-z_]+)/ ]] &&
         [[ " $IO_MODULES " == *" ${BASH_REMATCH[1]} "* ]]; then
        report "$f" "$line" io-module "#include \"$header\" (I/O module lib/${BASH_REMATCH[1]})"
      elif [[ $header =~ $IO_HEADER_RE ]] && ! exempt "$f" "$header"; then
        report "$f" "$line" io-header "#include $header (adapter or I/O header in pure code)"
      fi
    fi
    if [[ $f == lib/* ]]; then
      if [[ $header =~ ^(services|tools|tests|bench)/ ]]; then
        report "$f" "$line" lib-up "#include \"$header\" (lib/ must not depend on ${BASH_REMATCH[1]}/)"
      elif [[ $header =~ ^lib/([a-z_]+)/ ]]; then
        from=$(module_of "$f")
        to=${BASH_REMATCH[1]}
        if [ "$from" != "$to" ] && [ -n "${LIB_DEPS[$from]+x}" ] &&
           [[ " ${LIB_DEPS[$from]} " != *" $to "* ]]; then
          report "$f" "$line" lib-graph "#include \"$header\" (lib/$from may use: ${LIB_DEPS[$from]:-nothing})"
        fi
      fi
    fi
  done < <(awk 'match($0, /^[ \t]*#[ \t]*include[ \t]*[<"][^>"]+[>"]/) {
                  h = substr($0, RSTART, RLENGTH)
                  sub(/^[^<"]*[<"]/, "", h); sub(/[>"]$/, "", h)
                  print NR ":" h }' "$f")
  if [[ $f == services/*/logic/* ]]; then
    while IFS=: read -r line text; do
      report "$f" "$line" clock "${text#"${text%%[![:space:]]*}"} (use the Clock port, lib/core/clock.h)"
    done < <(grep -nE '(system_clock|steady_clock|high_resolution_clock)::now\(|sleep_for\(|sleep_until\(|absl::Now\(|absl::SleepFor\(|[^a-zA-Z_:]time\(nullptr\)' "$f" || true)
  fi
done

# A lib folder with no entry in LIB_DEPS is not in the module graph yet.
for d in lib/*/; do
  m=$(basename "$d")
  if [ -z "${LIB_DEPS[$m]+x}" ]; then
    report "$d" 0 lib-graph "module lib/$m is not in the layer graph (scripts/check_layers.sh, lib/CMakeLists.txt)"
  fi
done

if [ $violations -gt 0 ]; then
  echo "check_layers: $violations violation(s)" >&2
  exit 1
fi
echo "check_layers: OK"
