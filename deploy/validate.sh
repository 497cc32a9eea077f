#!/usr/bin/env bash
# Offline checks of everything under deploy/ (no cluster, no container
# engine, no network except the npm registry on first run):
#   0. The generated copies (deploy/k8s/base/configs/, the PrometheusRule)
#      match configs/ and prometheus/rules/ (tools/sync-generated.sh).
#   1. Prometheus: promtool check config (compose and Kubernetes scrape
#      configs), check rules, and the alert unit tests in prometheus/tests
#      (unless --no-alert-tests: ctest runs them as deploy_alert_tests).
#   2. Grafana: dashboard structure (ids, datasources, layout), a
#      description on every panel, units and thresholds, the namespace and
#      instance variables in every query.
#   3. Kubernetes: kubectl kustomize renders the base and every overlay
#      WITHOUT flags (so `kubectl apply -k` works), and every rendered object
#      passes schema validation (kubernetes-models, KEDA CRDs), has no
#      unknown field, follows the workload rules (non-root, read-only root
#      fs, requests/limits, probes), carries the recommended labels and
#      references only the Secrets its service uses; Redis has maxmemory
#      with noeviction and an ACL user; production has TLS to Redis
#      (stunnel sidecars), gRPC TLS, KEDA and the prometheus-operator
#      objects, and applies no Secret.
#   4. Containers: each Dockerfile (deploy/docker/Dockerfile's stage per
#      service, or the older <service>.Dockerfile) builds the CMake targets
#      of its image (api: api + arxivctl), copies the binaries from where
#      CMake puts them, exposes the ports main.cc defaults to (admin; api:
#      also gRPC and web) as do the Kubernetes base and compose, copies
#      every source folder the top-level CMakeLists.txt needs (configured
#      for real from exactly the copied folders and the Dockerfile's -D
#      flags), installs every build -dev package of scripts/install_deps.sh,
#      turns off every ARXIV_DIGEST_BUILD_* option, and (with --build-dir,
#      for a RUNTIME_PACKAGES list) installs a Debian package, or one it
#      depends on, for every shared library the built binaries link (a
#      runtime list derived from ldd in the build stage is trusted).
# Usage: deploy/validate.sh [--build-dir DIR] [--no-alert-tests]
# Needs: promtool (Debian: prometheus), kubectl >= 1.27 (its built-in
# kustomize v5: components), node + npm (deploy/tools/install.sh); cmake,
# ninja and the build packages for the build-context check (skipped
# without cmake/ninja).
set -euo pipefail
DEPLOY="$(cd "$(dirname "$0")" && pwd)"
REPO="$(dirname "$DEPLOY")"
BUILD_DIR=""
ALERT_TESTS=1
while [ $# -gt 0 ]; do
  case "$1" in
    --build-dir) BUILD_DIR="$(cd "$2" && pwd)"; shift 2 ;;
    --no-alert-tests) ALERT_TESTS=0; shift ;;
    -h|--help) sed -n '2,/^set -euo/{/^#/p}' "$0"; exit 0 ;;
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

step "generated copies: base/configs = configs/, PrometheusRule = prometheus/rules"
"$DEPLOY/tools/sync-generated.sh" --check || fail "generated copies out of date (run deploy/tools/sync-generated.sh)"

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
if [ "$ALERT_TESTS" -eq 1 ]; then
  (cd "$DEPLOY/prometheus" && promtool test rules tests/*.yml) >/dev/null || fail "alert unit tests (cd deploy/prometheus && promtool test rules tests/*.yml)"
fi

step "grafana: dashboards"
node "$DEPLOY/tools/check-grafana.mjs" "$DEPLOY"/grafana/*.json || fail "grafana dashboards"

step "kubernetes: kustomize render (no flags) + schema validation"
for dir in base overlays/local overlays/production; do
  if kubectl kustomize "$DEPLOY/k8s/$dir" >"$WORK/${dir//\//-}.yaml" 2>"$WORK/kustomize.err"; then
    node "$DEPLOY/tools/validate-k8s.mjs" "$WORK/${dir//\//-}.yaml" | sed "s|^|  $dir: |" \
      || fail "k8s/$dir: schema or policy"
  else
    cat "$WORK/kustomize.err" >&2
    fail "k8s/$dir does not render with plain kubectl kustomize"
  fi
done
# The rendered overlays, as jq-less greps (one object per document).
count() { grep -c "^kind: $2\$" "$WORK/$1.yaml" || true; }
local_yaml="$WORK/overlays-local.yaml"
prod_yaml="$WORK/overlays-production.yaml"
[ "$(count overlays-local CronJob)" -eq 0 ] || fail "local: a CronJob (the fetcher is a long-running Deployment)"
[ "$(count overlays-production ScaledObject)" -eq 1 ] || fail "production: no ScaledObject"
[ "$(count overlays-production HorizontalPodAutoscaler)" -eq 0 ] || fail "production: HPA next to KEDA"
[ "$(count overlays-production StatefulSet)" -eq 0 ] || fail "production: bundled Redis left in"
[ "$(count overlays-production Secret)" -eq 0 ] || fail "production: applies a Secret (they are created out of band)"
[ "$(count overlays-production PodMonitor)" -eq 4 ] || fail "production: not 4 PodMonitors"
[ "$(count overlays-production PrometheusRule)" -eq 1 ] || fail "production: no PrometheusRule"
node --input-type=module - "$local_yaml" "$prod_yaml" <<'JS' || fail "k8s: Redis lock-down / production TLS"
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
const require = createRequire(process.env.DEPLOY_TOOLS + "/");
const YAML = require("yaml");
const load = (f) => YAML.parseAllDocuments(readFileSync(f, "utf8")).map((d) => d.toJS()).filter(Boolean);
const [local, prod] = process.argv.slice(2).map(load);
let bad = 0;
const fail = (m) => { console.error(m); bad++; };
const find = (objs, kind, name) => objs.find((o) => o.kind === kind && o.metadata.name === name);
const containers = (o) => o.spec.template.spec.containers;
// Redis (issue 12: bounded, never evicting the queue; issue 13: locked down).
const redis = find(local, "StatefulSet", "redis");
const cmd = redis ? [...(containers(redis)[0].command ?? []), ...(containers(redis)[0].args ?? [])].join(" ") : "";
if (!/--maxmemory 400mb --maxmemory-policy noeviction/.test(cmd)) fail("local: Redis without --maxmemory 400mb --maxmemory-policy noeviction");
if (!/--user default off/.test(cmd)) fail("local: Redis' default user is not off");
if (!find(local, "NetworkPolicy", "redis-from-services")) fail("local: no NetworkPolicy for Redis");
// Production: TLS to Redis through a stunnel sidecar in every pod, gRPC TLS.
for (const d of prod.filter((o) => o.kind === "Deployment")) {
  if (!containers(d).some((c) => c.name === "stunnel")) fail(`production: Deployment ${d.metadata.name} has no stunnel sidecar`);
}
const env = prod.find((o) => o.kind === "ConfigMap" && o.metadata.name.startsWith("arxiv-digest-env"));
if (env?.data?.REDIS_ENDPOINT !== "127.0.0.1:6380") fail("production: the services do not talk to their stunnel sidecar (REDIS_ENDPOINT)");
const api = find(prod, "Deployment", "api");
if (!api || !containers(api)[0].args.includes("--tls-cert")) fail("production: gRPC without TLS (--tls-cert)");
const so = find(prod, "ScaledObject", "scorer");
if (so?.spec?.triggers?.[0]?.metadata?.enableTLS !== "true") fail("production: KEDA reaches Redis without TLS");
process.exit(bad ? 1 : 0);
JS
# Every object of a render lands in the namespace (a component's objects
# included): the namespace transformer of the overlays.
for o in overlays-local overlays-production; do
  objects="$(grep -c '^kind: ' "$WORK/$o.yaml")"
  namespaced="$(grep -c '^  namespace: arxiv-digest$' "$WORK/$o.yaml" || true)"
  [ "$namespaced" -eq $((objects - 1)) ] || fail "$o: $((objects - 1 - namespaced)) object(s) without namespace arxiv-digest"
done

step "containers: Dockerfiles vs CMake targets, main.cc and the built binaries"
packages_of() {  # the value of ARG $2 in Dockerfile text $1
  sed -n "s/^ARG $2=\"\(.*\)\"$/\1/p" <<<"$1"
}
with_dependencies() {  # packages $@ plus their installed Depends, recursively
  local -A seen=()
  local queue=("$@") p
  while [ "${#queue[@]}" -gt 0 ]; do
    p="${queue[0]}"
    queue=("${queue[@]:1}")
    [ -n "${seen[$p]:-}" ] && continue
    seen[$p]=1
    # shellcheck disable=SC2207
    queue+=($(dpkg-query -W -f='${Depends},${Pre-Depends}\n' "$p" 2>/dev/null \
      | tr ',|' '\n' | sed 's/(.*//; s/:any//; s/[[:space:]]//g' | grep -v '^$' || true))
  done
  echo "${!seen[@]}"
}
stage_of() {  # the stage named $2 ("FROM ... AS $2" up to the next FROM) of file $1
  awk -v s="$2" '$1 == "FROM" { on = ($NF == s) } on' "$1"
}
MULTI="$DEPLOY/docker/Dockerfile"
default_port() {  # the default of flag $2 in the sources of service folder $1
  # Written as GetInt("--x-port", N), `default_x_port = N` (lib/app's
  # ServiceSpec) or `int x_port = N;` (a flags struct); several different
  # values print nothing, so the caller fails (0 is a placeholder, never a
  # default port).
  local var="${2#--}"
  var="${var//-/_}"
  local found
  found="$(grep -rhoE "GetInt\(\"$2\", [0-9]+\)|default_$var = [0-9]+|int $var = [0-9]+;" \
    --include='*.cc' --include='*.h' "$1" | grep -oE '[0-9]+' | grep -vx 0 | sort -u || true)"
  if [ "$(wc -l <<<"$found")" -eq 1 ]; then echo "$found"; fi
}
install_deps="$(sed -n '/^PACKAGES=(/,/^)/p' "$REPO/scripts/install_deps.sh")"
# Folders the top-level CMakeLists.txt adds unconditionally (not indented,
# so not inside an if()) and the options that build extras.
cmake_dirs="$(sed -n 's|^add_subdirectory(\([^/)]*\).*|\1|p' "$REPO/CMakeLists.txt" | sort -u)"
cmake_extras="$(sed -n 's/^option(\(ARXIV_DIGEST_BUILD_[A-Z_]*\) .*/\1/p' "$REPO/CMakeLists.txt")"
# image: "source dir of main.cc" then "target=binary path under build/" ...
declare -A IMAGES=(
  [fetcher]="services/fetcher fetcher=services/fetcher/fetcher"
  [scorer]="services/scorer scorer=services/scorer/scorer"
  [publisher]="services/publisher publisher=services/publisher/publisher"
  [api]="services/api api=services/api/api arxivctl=tools/arxivctl/arxivctl"
)
declare -A CONFIGURED=()
declare -A DEV_REPORTED=()  # one finding per Dockerfile, not per stage  # build-stage COPY set + flags already configured
for svc in fetcher scorer publisher api; do
  # One multi-target Dockerfile (stages build, runtime, <service>), or
  # the older one file per service.
  if [ -f "$MULTI" ]; then
    df="$MULTI"
    build_stage="$(stage_of "$df" build)"
    runtime_stage="$(stage_of "$df" runtime)"
    svc_stage="$(stage_of "$df" "$svc")"
    [ -n "$svc_stage" ] || { fail "$df: no stage '$svc'"; continue; }
  else
    df="$DEPLOY/docker/$svc.Dockerfile"
    [ -f "$df" ] || { fail "$df missing"; continue; }
    build_stage="$(sed '/^FROM .*slim/,$d' "$df")"
    runtime_stage="$(cat "$df")"
    svc_stage="$runtime_stage"
  fi
  read -r src_dir targets <<<"${IMAGES[$svc]}"
  for entry in $targets; do
    target="${entry%%=*}"; path="${entry#*=}"
    grep -q "add_executable($target " "$REPO/$(dirname "$path")/CMakeLists.txt" \
      || fail "$svc: no add_executable($target ...) in $(dirname "$path")/CMakeLists.txt"
    grep -Eq -- "--target ([a-z]+ )*$target( |$)" <<<"$build_stage" || fail "$df: does not build target $target"
    # Straight from the build tree, or through a staging folder the build
    # stage copies build/<path> into (COPY --from=build /out/<binary>).
    if ! grep -q "COPY --from=build /src/build/$path " <<<"$svc_stage"; then
      staged="$(sed -n "s|^COPY --from=build \(/[^ ]*/$(basename "$path")\) .*|\1|p" <<<"$svc_stage")"
      { [ -n "$staged" ] && grep -q "build/$path" <<<"$build_stage"; } \
        || fail "$df ($svc): binary path of $target"
    fi
  done
  main="$REPO/$src_dir"
  port="$(default_port "$main" --admin-port)"
  [ -n "$port" ] || fail "$svc: no single --admin-port default in $src_dir"
  grep -q "^EXPOSE $port$" <<<"$svc_stage" || fail "$df ($svc): EXPOSE is not main.cc's admin port $port"
  grep -q "containerPort: $port$" "$DEPLOY/k8s/base/$svc.yaml" || fail "k8s/base/$svc.yaml: port is not $port"
  grep -q "\"--admin-port\", \"$port\"" "$DEPLOY/docker/compose.yaml" || fail "compose.yaml: $svc admin port is not $port"
  for flag in --grpc-port --web-port; do
    p="$(default_port "$main" "$flag")"
    [ -n "$p" ] || continue
    grep -Eq "^EXPOSE( [0-9]+)* $p( |$)" <<<"$svc_stage" || fail "$df ($svc): does not EXPOSE main.cc's $flag $p"
    grep -q "containerPort: $p$" "$DEPLOY/k8s/base/$svc.yaml" || fail "k8s/base/$svc.yaml: $flag is not $p"
    grep -q "\"$flag\", \"$p\"" "$DEPLOY/docker/compose.yaml" || fail "compose.yaml: $svc $flag is not $p"
  done
  grep -q "^USER 10001:10001$" <<<"$svc_stage" || fail "$df ($svc): not the numeric non-root user"
  # Every development package scripts/install_deps.sh installs for the
  # build (not the test-only ones) must be in the image's build stage, or
  # its cmake step fails (e.g. pkg_check_modules(... libcurl)).
  build_packages=" $(packages_of "$build_stage" BUILD_PACKAGES) "
  # shellcheck disable=SC2013  # one package name per word
  for p in $(grep -oE '[a-z0-9.+-]+-dev\b' <<<"$install_deps" | sort -u); do
    case "$p" in libgtest-dev|libgmock-dev) continue ;; esac
    [[ "$build_packages" == *" $p "* ]] || [ -n "${DEV_REPORTED[$df$p]:-}" ] || {
      DEV_REPORTED[$df$p]=1
      fail "$df: scripts/install_deps.sh's $p is not in BUILD_PACKAGES"
    }
  done
  for p in $build_packages; do
    grep -qw -- "$p" <<<"$install_deps" || fail "$df: build package $p is not in scripts/install_deps.sh"
  done
  # The build context: what the build stage copies must configure on its
  # own (a folder the top-level CMakeLists.txt adds but the image lacks
  # fails `docker build` only at its cmake step).
  copies="$(sed -n 's|^COPY \([^-][^ ]*\) \([^ ]*\)$|\1 \2|p' <<<"$build_stage")"
  for d in $cmake_dirs; do
    grep -q "^$d " <<<"$copies" || fail "$df: CMakeLists.txt adds $d/ but the build stage does not COPY it"
  done
  flags="$(grep -o -- '-D[A-Za-z_]*=[A-Za-z0-9_]*' <<<"$build_stage" | sort | tr '\n' ' ')"
  for o in $cmake_extras; do
    [[ " $flags" == *" -D$o=OFF "* ]] || fail "$df: $o is not turned off (-D$o=OFF)"
  done
  key="$(sort <<<"$copies" | tr '\n' ' ')$flags"
  if command -v cmake >/dev/null && command -v ninja >/dev/null && [ -z "${CONFIGURED[$key]:-}" ]; then
    ctx="$WORK/context-$svc"
    mkdir -p "$ctx"
    while read -r src dst; do
      [ -n "$src" ] || continue
      mkdir -p "$ctx/$(dirname "$dst")"
      cp -r "$REPO/$src" "$ctx/${dst%/}"
    done <<<"$copies"
    # shellcheck disable=SC2086
    if cmake -S "$ctx" -B "$ctx/build" -G Ninja $flags >"$ctx/configure.log" 2>&1; then
      CONFIGURED[$key]="$ctx/build"
    else
      tail -5 "$ctx/configure.log" >&2
      fail "$df: the build stage's sources do not configure"
    fi
  fi
  if [ -n "${CONFIGURED[$key]:-}" ]; then
    help="$(cmake --build "${CONFIGURED[$key]}" --target help 2>/dev/null)"
    for entry in $targets; do
      grep -q "^${entry%%=*}:" <<<"$help" || fail "$df: target ${entry%%=*} missing from its build context"
    done
  fi
  [ -n "$BUILD_DIR" ] || continue
  # A runtime stage that installs what `ldd` of the built binaries names
  # (computed in the build stage) needs no list to check.
  if ! grep -q "^ARG RUNTIME_PACKAGES=" <<<"$runtime_stage"; then
    grep -q 'ldd' <<<"$build_stage" || fail "$df: no RUNTIME_PACKAGES and no ldd-derived package list"
    continue
  fi
  # The listed packages and what apt installs with them (their Depends,
  # recursively, as dpkg knows them on this machine): a library that
  # libcurl4 pulls in needs no line of its own.
  # shellcheck disable=SC2046  # one package per word
  runtime=" $(with_dependencies $(packages_of "$runtime_stage" RUNTIME_PACKAGES)) "
  for entry in $targets; do
    bin="$BUILD_DIR/${entry#*=}"
    if [ ! -x "$bin" ]; then
      echo "  note: $bin not built; runtime packages not checked against ldd"
      continue
    fi
    for lib in $(ldd "$bin" | awk '/=> \//{print $3}'); do
      pkg="$( (dpkg -S "$lib" 2>/dev/null || dpkg -S "/usr$lib" 2>/dev/null) | head -1 | cut -d: -f1)"
      [ -n "$pkg" ] || { fail "$svc: no Debian package owns $lib"; continue; }
      [[ "$runtime" == *" $pkg "* ]] || fail "$df: ${entry%%=*} links $lib but RUNTIME_PACKAGES lacks $pkg"
    done
  done
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
  for (const s of svc.secrets ?? []) {
    const id = typeof s === "string" ? s : s.source;
    if (!compose.secrets?.[id]) { console.error(`compose ${name}: secret ${id} not defined`); bad++; }
  }
}
// Secret files: ${VAR:-default} is checked with its default.
for (const [id, sec] of Object.entries(compose.secrets ?? {})) {
  const f = (sec.file ?? "").replace(/^\$\{[A-Z_]+:-(.*)\}$/, "$1");
  if (f && !existsSync(path.resolve(path.dirname(file), f))) {
    console.error(`compose secret ${id}: file ${f} missing`); bad++;
  }
}
// Redis bounded and never evicting the queue (issue 12).
const redisCmd = (compose.services.redis?.command ?? []).join(" ");
if (!/--maxmemory \d+[kmg]b/.test(redisCmd) || !/--maxmemory-policy noeviction/.test(redisCmd)) {
  console.error("compose redis: no --maxmemory with --maxmemory-policy noeviction"); bad++;
}
console.log(`  compose: ${Object.keys(compose.services).length} services`);
process.exit(bad ? 1 : 0);
JS

if [ "$FAILED" -ne 0 ]; then
  echo "validate.sh: FAILED" >&2
  exit 1
fi
echo "validate.sh: all deploy/ checks passed"
