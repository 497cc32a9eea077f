#!/usr/bin/env bash
# Offline checks of everything under deploy/ (no cluster, no container
# engine, no network except the npm registry on first run):
#   1. Prometheus: promtool check config (compose and Kubernetes scrape
#      configs), check rules, and the alert unit tests in prometheus/tests.
#   2. Grafana: dashboard structure (ids, datasources, layout).
#   3. Kubernetes: kubectl kustomize renders the base and every overlay, and
#      every rendered object passes schema validation (kubernetes-models,
#      KEDA CRDs), has no unknown field and follows the workload rules
#      (non-root, read-only root fs, requests/limits, probes).
#   4. Containers: each Dockerfile builds the CMake target of its service,
#      copies the binary from where CMake puts it, exposes the admin port
#      main.cc defaults to, and (with --build-dir) installs a Debian package
#      for every shared library the built binary links.
# Usage: deploy/validate.sh [--build-dir DIR]
# Needs: promtool (Debian: prometheus), kubectl >= 1.27 (its built-in
# kustomize v5: components), node + npm (deploy/tools/install.sh).
set -euo pipefail
DEPLOY="$(cd "$(dirname "$0")" && pwd)"
REPO="$(dirname "$DEPLOY")"
BUILD_DIR=""
while [ $# -gt 0 ]; do
  case "$1" in
    --build-dir) BUILD_DIR="$(cd "$2" && pwd)"; shift 2 ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "validate.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
WORK="$(mktemp -d /tmp/arxiv-digest-validate.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
FAILED=0
step() { echo "== $*"; }
fail() { echo "FAIL: $*" >&2; FAILED=1; }
need() {
  command -v "$1" >/dev/null || { echo "validate.sh: $1 not found ($2)" >&2; exit 1; }
}
need promtool "apt-get install prometheus"
need kubectl "kubectl >= 1.27 with kustomize v5"
need node "apt-get install nodejs npm"
"$DEPLOY/tools/install.sh"
export DEPLOY_TOOLS="$DEPLOY/tools"

step "prometheus: config, rules, alert unit tests"
promtool check config "$DEPLOY/prometheus/prometheus.yml" >/dev/null || fail "prometheus.yml"
# Debian's Prometheus is built without Kubernetes service discovery, so its
# promtool rejects kubernetes_sd_configs: check everything else of the file
# (relabelling included) with the discovery swapped for a static target.
node --input-type=module - "$DEPLOY/prometheus/prometheus-kubernetes.yml" \
  "$WORK/prometheus-kubernetes.yml" <<'JS' || fail "prometheus-kubernetes.yml"
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
const require = createRequire(process.env.DEPLOY_TOOLS + "/");
const YAML = require("yaml");
const [src, dst] = process.argv.slice(2);
const cfg = YAML.parse(readFileSync(src, "utf8"));
for (const job of cfg.scrape_configs) {
  if (!job.kubernetes_sd_configs) throw new Error(`${job.job_name}: expected kubernetes_sd_configs`);
  delete job.kubernetes_sd_configs;
  job.static_configs = [{ targets: ["127.0.0.1:9"] }];
}
writeFileSync(dst, YAML.stringify(cfg));
JS
[ -f "$WORK/prometheus-kubernetes.yml" ] && {
  promtool check config "$WORK/prometheus-kubernetes.yml" >/dev/null || fail "prometheus-kubernetes.yml"; }
promtool check rules "$DEPLOY"/prometheus/rules/*.yml >/dev/null || fail "rules"
(cd "$DEPLOY/prometheus" && promtool test rules tests/*.yml) >/dev/null || fail "alert unit tests (cd deploy/prometheus && promtool test rules tests/*.yml)"

step "grafana: dashboards"
node "$DEPLOY/tools/check-grafana.mjs" "$DEPLOY"/grafana/*.json || fail "grafana dashboards"

step "kubernetes: kustomize render + schema validation"
for dir in base overlays/local overlays/production; do
  if kubectl kustomize --load-restrictor=LoadRestrictionsNone "$DEPLOY/k8s/$dir" \
      >"$WORK/${dir//\//-}.yaml" 2>"$WORK/kustomize.err"; then
    node "$DEPLOY/tools/validate-k8s.mjs" "$WORK/${dir//\//-}.yaml" | sed "s|^|  $dir: |" \
      || fail "k8s/$dir: schema or policy"
  else
    cat "$WORK/kustomize.err" >&2
    fail "k8s/$dir does not render"
  fi
done
# The production overlay must use KEDA and no longer the CPU-only HPA.
grep -q '^kind: ScaledObject' "$WORK/overlays-production.yaml" || fail "production: no ScaledObject"
grep -q '^kind: HorizontalPodAutoscaler' "$WORK/overlays-production.yaml" && fail "production: HPA next to KEDA"
grep -q '^kind: StatefulSet' "$WORK/overlays-production.yaml" && fail "production: bundled Redis left in"

step "containers: Dockerfiles vs CMake targets, main.cc and the built binaries"
packages_of() {  # the value of ARG $2 in Dockerfile $1
  sed -n "s/^ARG $2=\"\(.*\)\"$/\1/p" "$1"
}
install_deps="$(sed -n '/^PACKAGES=(/,/^)/p' "$REPO/scripts/install_deps.sh")"
for svc in fetcher scorer publisher; do
  df="$DEPLOY/docker/$svc.Dockerfile"
  [ -f "$df" ] || { fail "$df missing"; continue; }
  grep -q "add_executable($svc " "$REPO/services/$svc/CMakeLists.txt" \
    || fail "$svc: no add_executable($svc ...) in services/$svc/CMakeLists.txt"
  grep -q -- "--target $svc " "$df" || fail "$df: does not build target $svc"
  grep -q "COPY --from=build /src/build/services/$svc/$svc " "$df" || fail "$df: binary path"
  port="$(sed -n 's/.*GetInt("--admin-port", \([0-9]*\)).*/\1/p' "$REPO/services/$svc/main.cc")"
  [ -n "$port" ] || fail "$svc: no --admin-port default in main.cc"
  grep -q "^EXPOSE $port$" "$df" || fail "$df: EXPOSE is not main.cc's admin port $port"
  grep -q "containerPort: $port$" "$DEPLOY/k8s/base/$svc.yaml" || fail "k8s/base/$svc.yaml: port is not $port"
  grep -q "\"--admin-port\", \"$port\"" "$DEPLOY/docker/compose.yaml" || fail "compose.yaml: $svc admin port is not $port"
  grep -q "^USER 10001:10001$" "$df" || fail "$df: not the numeric non-root user"
  for p in $(packages_of "$df" BUILD_PACKAGES); do
    grep -qw -- "$p" <<<"$install_deps" || fail "$df: build package $p is not in scripts/install_deps.sh"
  done
  bin="$BUILD_DIR/services/$svc/$svc"
  if [ -n "$BUILD_DIR" ] && [ -x "$bin" ]; then
    runtime=" $(packages_of "$df" RUNTIME_PACKAGES) "
    for lib in $(ldd "$bin" | awk '/=> \//{print $3}'); do
      pkg="$( (dpkg -S "$lib" 2>/dev/null || dpkg -S "/usr$lib" 2>/dev/null) | head -1 | cut -d: -f1)"
      [ -n "$pkg" ] || { fail "$svc: no Debian package owns $lib"; continue; }
      [[ "$runtime" == *" $pkg "* ]] || fail "$df: $svc links $lib but RUNTIME_PACKAGES lacks $pkg"
    done
  elif [ -n "$BUILD_DIR" ]; then
    echo "  note: $bin not built; runtime packages not checked against ldd"
  fi
done
node --input-type=module - "$DEPLOY/docker/compose.yaml" <<'JS' || fail "compose.yaml"
import { readFileSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
const require = createRequire(process.env.DEPLOY_TOOLS + "/");
const YAML = require("yaml");
const file = process.argv[2];
const compose = YAML.parse(readFileSync(file, "utf8"), { merge: true });
let bad = 0;
for (const [name, svc] of Object.entries(compose.services)) {
  if (svc.build) {
    const df = path.resolve(path.dirname(file), svc.build.context, svc.build.dockerfile);
    if (!existsSync(df)) { console.error(`compose ${name}: ${df} missing`); bad++; }
  }
  for (const v of svc.volumes ?? []) {
    const src = typeof v === "string" ? v.split(":")[0] : v.source;
    if (src.startsWith(".") && !existsSync(path.resolve(path.dirname(file), src))) {
      console.error(`compose ${name}: volume source ${src} missing`); bad++;
    }
  }
}
console.log(`  compose: ${Object.keys(compose.services).length} services`);
process.exit(bad ? 1 : 0);
JS

if [ "$FAILED" -ne 0 ]; then
  echo "validate.sh: FAILED" >&2
  exit 1
fi
echo "validate.sh: all deploy/ checks passed"
