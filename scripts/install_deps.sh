#!/usr/bin/env bash
# Installs the Debian packages arxiv-digest needs (build, tests, demo).
# Runs apt-get only when something is missing; needs root for that.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config python3 python3-yaml
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libabsl-dev libhiredis-dev libcpp-httplib-dev libssl-dev rapidjson-dev
  prometheus-cpp-dev libpugixml-dev zlib1g-dev libgtest-dev libgmock-dev libcurl4-openssl-dev
  redis-server redis-tools prometheus ccache
  chromium openssl
  clang-format clang-tidy
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

# deploy/ validation runs on Node.js; the machine image may already have a
# newer node than Debian's (whose npm would conflict with it).
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  missing+=(nodejs npm)
fi

if [ ${#missing[@]} -eq 0 ]; then
  echo "install_deps: all ${#PACKAGES[@]} packages present"
else
  echo "install_deps: installing ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "install_deps: run as root (missing: ${missing[*]})" >&2; exit 1; }
    SUDO="sudo"
  fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Pinned npm packages for the Kubernetes schema checks (npm ci, lockfile).
"$(dirname "$0")/../deploy/tools/install.sh"
