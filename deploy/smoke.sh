#!/usr/bin/env bash
# Container smoke test: builds every image from deploy/docker/Dockerfile
# (one build stage, compiled once), runs Redis and all four services as
# containers the way the deployment does (read-only root, numeric non-root
# user, no capabilities, configuration from the environment), runs one
# bundled day (data/sample/<day>) with the lexical scorer, fetches the digest
# through the api's web port and through gRPC (arxivctl), checks both agree,
# and removes every container it started. Exits non-zero on any failure.
#
# Works without registry access (see the shared containers notes): podman
# with runc, a containers.conf without rlimits and systemd cgroups, and the
# Debian base image bootstrapped with mmdebstrap from the host's apt sources
# when no registry answers. Needs root (rootful podman).
#
#   deploy/smoke.sh [--day 2025-04-08] [--keep-images] [--timeout SECONDS]
#
# ctest: `ctest -L containers` (not part of the default ./scripts/test.sh).
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
cd "$REPO"

DAY="2025-04-08"
TIMEOUT=900
KEEP_IMAGES=1
while [ $# -gt 0 ]; do
  case "$1" in
    --day) DAY="$2"; shift 2 ;;
    --timeout) TIMEOUT="$2"; shift 2 ;;
    --remove-images) KEEP_IMAGES=0; shift ;;
    --keep-images) KEEP_IMAGES=1; shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "smoke.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -d "data/sample/$DAY" ] || { echo "smoke.sh: no bundled day data/sample/$DAY" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "smoke.sh: run as root (rootful podman)" >&2; exit 2; }

START=$(date +%s)
step() { echo "smoke: [$(( $(date +%s) - START ))s] $*"; }
die() { echo "smoke: FAILED: $*" >&2; exit 1; }

# --- tools -------------------------------------------------------------------
missing=()
for tool in podman runc mmdebstrap curl; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
  step "installing ${missing[*]}"
  apt-get install -y "${missing[@]}" >/dev/null || {
    apt-get update >/dev/null && apt-get install -y "${missing[@]}" >/dev/null; }
fi

WORK="$(mktemp -d /tmp/arxiv-digest-smoke.XXXXXX)"
# crun refuses this machine's hybrid cgroup layout; rlimits cannot be set
# inside the build sandbox: see the containers notes.
cat >"$WORK/containers.conf" <<'EOF'
[containers]
default_ulimits = []
[engine]
cgroup_manager = "cgroupfs"
EOF
export CONTAINERS_CONF="$WORK/containers.conf"
PODMAN=(podman --runtime runc)
TAG="smoke-$$"
CONTAINERS=()
# Logs of every container, for a failure report.
dump_logs() {
  for c in "${CONTAINERS[@]}"; do
    "${PODMAN[@]}" logs "$c" >"$WORK/${c}.log" 2>&1 || true
  done
}
cleanup() {
  local rc=$?
  if [ $rc -ne 0 ]; then dump_logs; fi
  for c in "${CONTAINERS[@]}"; do "${PODMAN[@]}" rm -f -t 5 "$c" >/dev/null 2>&1 || true; done
  if [ "$KEEP_IMAGES" = 0 ]; then
    for t in fetcher scorer publisher api redis; do
      "${PODMAN[@]}" rmi -f "arxiv-digest/$t:$TAG" >/dev/null 2>&1 || true
    done
  fi
  if [ $rc -ne 0 ]; then
    echo "smoke: logs kept in $WORK" >&2
  else
    rm -rf "$WORK"
  fi
  echo "smoke: finished in $(( $(date +%s) - START ))s (exit $rc)"
}
trap cleanup EXIT

# --- base image --------------------------------------------------------------
# The binaries are built and run on the host's Debian release, so the
# shared libraries the runtime stage installs are the ones they were built
# against.
# shellcheck disable=SC1091
RELEASE="$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")"
BASE="docker.io/library/debian:$RELEASE"
if ! "${PODMAN[@]}" image exists "$BASE" || ! "${PODMAN[@]}" image exists "$BASE-slim"; then
  if timeout 60 "${PODMAN[@]}" pull -q "$BASE" >/dev/null 2>&1 &&
     timeout 60 "${PODMAN[@]}" pull -q "$BASE-slim" >/dev/null 2>&1; then
    step "pulled $BASE"
  else
    step "no registry answers: bootstrapping $BASE from the Debian mirror"
    mmdebstrap --quiet --variant=minbase "$RELEASE" "$WORK/base.tar"
    "${PODMAN[@]}" import -q "$WORK/base.tar" "$BASE" >/dev/null
    "${PODMAN[@]}" tag "$BASE" "$BASE-slim"
    rm -f "$WORK/base.tar"
  fi
fi

# --- images ------------------------------------------------------------------
REVISION="$(git describe --always --dirty --tags 2>/dev/null || echo unknown)"
# One snapshot of the build context for every target, so the shared build
# stage compiles once even while the working tree changes.
CONTEXT="$WORK/context"
mkdir -p "$CONTEXT"
cp -r CMakeLists.txt proto lib services tools configs .dockerignore "$CONTEXT/"
for target in fetcher scorer publisher api redis; do
  step "building arxiv-digest/$target:$TAG"
  # The build stage is shared: only the first target compiles.
  "${PODMAN[@]}" build --layers -f deploy/docker/Dockerfile --target "$target" \
    --build-arg DEBIAN_RELEASE="$RELEASE" --build-arg REVISION="$REVISION" \
    -t "arxiv-digest/$target:$TAG" "$CONTEXT" >"$WORK/build-$target.log" 2>&1 \
    || { tail -30 "$WORK/build-$target.log" >&2; die "image $target"; }
done

# --- containers --------------------------------------------------------------
# Host networking: no CNI/netavark setup needed on a build machine. Every
# port is a free loopback port chosen now, passed as the services' flags.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
REDIS_PORT=$(free_port); GRPC_PORT=$(free_port); WEB_PORT=$(free_port)
declare -A ADMIN=([fetcher]=$(free_port) [scorer-1]=$(free_port)
  [scorer-2]=$(free_port) [publisher]=$(free_port) [api]=$(free_port))
# What the Kubernetes manifests enforce (securityContext), here as flags.
HARDENED=(--network host --read-only --tmpfs /tmp --cap-drop ALL
  --security-opt no-new-privileges --user 10001:10001)
ENV=(-e "REDIS_URL=redis://127.0.0.1:$REDIS_PORT" -e LOG_FORMAT=json
  -e SCORER_BACKEND=lexical -e "ARXIV_RSS_URL=file:///sample/$DAY/")

run() {  # name podman-run-arguments... (image and command included)
  local name="arxiv-smoke-$1-$$"
  shift
  CONTAINERS+=("$name")
  "${PODMAN[@]}" run -d --name "$name" "$@" >/dev/null || die "start $name"
}

step "starting redis on 127.0.0.1:$REDIS_PORT"
run redis --network host --read-only --tmpfs /data --cap-drop ALL \
  --security-opt no-new-privileges "arxiv-digest/redis:$TAG" \
  --bind 127.0.0.1 --port "$REDIS_PORT" --dir /data --appendonly no --save ""
REDIS_C="arxiv-smoke-redis-$$"
rcli() { "${PODMAN[@]}" exec "$REDIS_C" redis-cli -p "$REDIS_PORT" "$@"; }
for _ in $(seq 100); do [ "$(rcli ping 2>/dev/null)" = PONG ] && break; sleep 0.1; done
[ "$(rcli ping 2>/dev/null)" = PONG ] || die "redis does not answer"

step "starting publisher, 2 scorers, api"
run publisher "${HARDENED[@]}" "${ENV[@]}" --tmpfs /var/lib/arxiv-digest/out:rw,mode=1777 \
  "arxiv-digest/publisher:$TAG" --configs /etc/arxiv-digest/configs \
  --admin-host 127.0.0.1 --admin-port "${ADMIN[publisher]}" --output-path /var/lib/arxiv-digest/out
for i in 1 2; do
  run "scorer-$i" "${HARDENED[@]}" "${ENV[@]}" "arxiv-digest/scorer:$TAG" \
    --configs /etc/arxiv-digest/configs --admin-host 127.0.0.1 --admin-port "${ADMIN[scorer-$i]}" \
    --consumer "smoke-scorer-$i"
done
run api "${HARDENED[@]}" "${ENV[@]}" "arxiv-digest/api:$TAG" \
  --configs /etc/arxiv-digest/configs --admin-host 127.0.0.1 --admin-port "${ADMIN[api]}" \
  --grpc-host 127.0.0.1 --grpc-port "$GRPC_PORT" \
  --web-host 127.0.0.1 --web-port "$WEB_PORT"

ready() { curl -fs -o /dev/null "http://127.0.0.1:$1/readyz"; }
for svc in publisher scorer-1 scorer-2 api; do
  for _ in $(seq 150); do ready "${ADMIN[$svc]}" && break; sleep 0.2; done
  ready "${ADMIN[$svc]}" || { die "$svc not ready on /readyz (logs: $WORK)"; }
done
step "all services ready"

step "fetcher --once on the bundled day $DAY"
FETCHER_C="arxiv-smoke-fetcher-$$"
CONTAINERS+=("$FETCHER_C")
FETCH_OUT="$("${PODMAN[@]}" run --name "$FETCHER_C" "${HARDENED[@]}" "${ENV[@]}" \
  -v "$REPO/data/sample:/sample:ro" "arxiv-digest/fetcher:$TAG" \
  --configs /etc/arxiv-digest/configs --admin-host 127.0.0.1 --admin-port "${ADMIN[fetcher]}" --once \
  2>"$WORK/fetcher.log")" || { die "fetcher (log: $WORK/fetcher.log)"; }
RUN_ID="$(sed -n 's/^run_id=//p' <<<"$FETCH_OUT")"
[ -n "$RUN_ID" ] || die "fetcher printed no run_id: $FETCH_OUT"
step "run $RUN_ID: $(sed -n 's/^status=//p' <<<"$FETCH_OUT")"

while true; do
  STATUS="$(rcli hget "arxiv:run:$RUN_ID" status)"
  [ "$STATUS" = published ] && break
  [ "$STATUS" = failed ] && { die "run $RUN_ID failed (logs: $WORK)"; }
  [ $(( $(date +%s) - START )) -lt "$TIMEOUT" ] || { die "run $RUN_ID not published within ${TIMEOUT}s"; }
  sleep 1
done
step "published: $(rcli hget "arxiv:run:$RUN_ID" relevant_papers) relevant of $(rcli hget "arxiv:run:$RUN_ID" papers_to_score) scored"

# --- the digest through both front doors -------------------------------------
curl -fsS "http://127.0.0.1:$WEB_PORT/p/default/$DAY.md" >"$WORK/web.md" \
  || die "web port: GET /p/default/$DAY.md"
curl -fsS "http://127.0.0.1:$WEB_PORT/p/default/$DAY" >"$WORK/web.html" \
  || die "web port: GET /p/default/$DAY"
"${PODMAN[@]}" exec "arxiv-smoke-api-$$" arxivctl --server "127.0.0.1:$GRPC_PORT" \
  --timeout 20 digest get --date "$DAY" --format markdown >"$WORK/grpc.md" \
  || die "gRPC: arxivctl digest get"
[ -s "$WORK/web.md" ] || die "empty digest from the web port"
grep -q "$DAY" "$WORK/web.md" || die "the web digest does not name $DAY"
# arxivctl ends what it prints with a newline; the stored digest may not.
# shellcheck disable=SC1003
cmp -s <(sed -e '$a\' "$WORK/web.md") <(sed -e '$a\' "$WORK/grpc.md") \
  || die "web and gRPC digests differ ($WORK)"
step "digest: $(wc -c <"$WORK/web.md") bytes, identical over HTTP and gRPC"

# Every image says what it is (--version) and every service exports its
# build-info metric.
for svc in publisher scorer-1 api; do
  curl -fsS "http://127.0.0.1:${ADMIN[$svc]}/metrics" | grep -q '^arxiv_digest_build_info{' \
    || die "$svc: no arxiv_digest_build_info metric"
done
"${PODMAN[@]}" run --rm "arxiv-digest/scorer:$TAG" --version || die "scorer --version"

# LOG_FORMAT=json: every line a service wrote is a JSON object (stdout's
# key=value lines such as grpc_port=N are output, not logs).
dump_logs
for c in "${CONTAINERS[@]}"; do
  [[ "$c" == *redis* ]] && continue
  python3 - "$WORK/$c.log" <<'PY' || die "$c: a log line is not JSON (see $WORK/$c.log)"
import json, re, sys
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.rstrip("\n")
    if not line or re.fullmatch(r"[a-z_]+=.*", line):
        continue
    if not isinstance(json.loads(line), dict):
        sys.exit(1)
PY
done
step "every service log line is JSON"

step "OK"
