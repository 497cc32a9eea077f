#!/usr/bin/env bash
# Installs the pinned npm packages deploy/validate.sh uses (schemas of the
# Kubernetes and KEDA APIs, a YAML parser) into deploy/tools/node_modules,
# exactly as package-lock.json records them. Needs node and npm and the npm
# registry; a no-op when that lockfile is already installed.
set -euo pipefail
cd "$(dirname "$0")"
STAMP=node_modules/.installed-package-lock.json
if cmp -s package-lock.json "$STAMP" 2>/dev/null; then
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
cp package-lock.json "$STAMP"
