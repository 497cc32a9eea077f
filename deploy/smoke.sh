#!/usr/bin/env bash
# Container smoke test: the local Kubernetes overlay, played by podman.
# Builds every image from deploy/docker/Dockerfile (one build stage, compiled
# once), renders deploy/k8s/overlays/local with `kubectl kustomize`, turns
# the rendered objects into what `podman kube play` 4.3 plays
# (deploy/tools/kube-play-manifests.py prints each change it makes: one Pod
# per Deployment/StatefulSet named after its Service, the local image tags,
# the sample feed, a per-run Redis password...) and plays Redis and the four
# services on a podman network whose DNS resolves the Service names. Then it
# checks, against those pods:
#   - every readiness and liveness probe of the manifests passes
#     (deploy/tools/kube-play-probe.py runs them as the kubelet would);
#   - every container runs with its securityContext (uid/gid, no
#     capabilities, no_new_privs, read-only root) and memory and CPU limits;
#   - Redis refuses the default user, a wrong password and admin commands,
#     and the services reach it as the Secret's ACL user (REDIS_URL);
#   - the fetcher Deployment's first cycle runs the bundled day
#     (data/sample/<day>) with the lexical scorer, and it is published;
#   - the digest read through the api's web port and through gRPC
#     (arxivctl from a container on the network, via the Service name api)
#     is the same; every service exports arxiv_digest_build_info and every
#     binary answers --version; every service log line is JSON.
# Everything it created (pods, podman volumes and secrets, the network) is
# removed at the end, also on failure; exits non-zero on any failure.
# About 40-75 s with every image layer cached (10-35 s of it the teardown:
# podman is slow to remove pods here); about 3.5-4.5 minutes when sources
# changed since the last build (the build stage recompiles them); 10+
# minutes on a fresh machine (base image, full compile).
#
# Works without registry access (see the shared containers notes): podman
# 4.3 with runc, a containers.conf without rlimits and systemd cgroups, and
# the Debian base image bootstrapped with mmdebstrap from the host's apt
# sources when no registry answers. Needs root (rootful podman) and kubectl
# (>= 1.27, for kustomize); installs podman, runc, mmdebstrap, curl and
# python3-yaml when missing. One run at a time (a lock): the pods have the
# Services' fixed names.
#
#   deploy/smoke.sh [--day 2025-04-08] [--remove-images] [--timeout SECONDS]
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
    -h|--help) sed -n '2,40p' "$0"; exit 0 ;;
    *) echo "smoke.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -d "data/sample/$DAY" ] || { echo "smoke.sh: no bundled day data/sample/$DAY" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "smoke.sh: run as root (rootful podman)" >&2; exit 2; }

START=$(date +%s)
step() { echo "smoke: [$(( $(date +%s) - START ))s] $*"; }
die() { echo "smoke: FAILED: $*" >&2; exit 1; }
elapsed() { echo $(( $(date +%s) - START )); }

# --- tools -------------------------------------------------------------------
missing=()
for tool in podman runc mmdebstrap curl; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
python3 -c 'import yaml' 2>/dev/null || missing+=(python3-yaml)
if [ ${#missing[@]} -gt 0 ]; then
  step "installing ${missing[*]}"
  apt-get install -y "${missing[@]}" >/dev/null || {
    apt-get update >/dev/null && apt-get install -y "${missing[@]}" >/dev/null; }
fi
# Debian's kubernetes-client (1.20) is too old for the overlay's kustomize.
command -v kubectl >/dev/null \
  || die "kubectl >= 1.27 is needed to render the overlay (kubectl kustomize)"

# The pods carry the Services' names (redis, api, ...): one smoke at a time.
exec 9>/run/lock/arxiv-digest-smoke.lock
flock -w 1800 9 || die "another deploy/smoke.sh holds /run/lock/arxiv-digest-smoke.lock"

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
# One tag for every run (runs are serialised by the lock): rebuilding moves
# it, instead of leaving five new tags per run.
TAG="smoke"
NET="arxiv-smoke-$$"
KUBE="$WORK/kube"
PODS=() VOLUMES=() SECRETS=()

# podman 4.3 has no kube down for volumes and secrets: remove each by name.
remove_objects() {
  local v s
  # One command: podman stops the pods in parallel.
  [ ${#PODS[@]} -eq 0 ] || "${PODMAN[@]}" pod rm -f -i -t 5 "${PODS[@]}" >/dev/null 2>&1 || true
  for v in "${VOLUMES[@]}"; do "${PODMAN[@]}" volume rm -f "$v" >/dev/null 2>&1 || true; done
  for s in "${SECRETS[@]}"; do "${PODMAN[@]}" secret rm "$s" >/dev/null 2>&1 || true; done
}
# Logs of every container of every pod, for the log check and a failure report.
dump_logs() {
  local p c
  for p in "${PODS[@]}"; do
    for c in $("${PODMAN[@]}" ps -a --filter "pod=$p" --format '{{.Names}}' 2>/dev/null); do
      [[ "$c" == *-infra ]] && continue
      "${PODMAN[@]}" logs "$c" >"$WORK/$c.log" 2>&1 || true
    done
  done
}
cleanup() {
  local rc=$?
  set +e
  if [ $rc -ne 0 ]; then dump_logs; fi
  step "tearing down: pods, podman volumes and secrets, network $NET"
  remove_objects
  "${PODMAN[@]}" network rm -f "$NET" >/dev/null 2>&1
  if [ "$KEEP_IMAGES" = 0 ]; then
    for t in fetcher scorer publisher api redis; do
      "${PODMAN[@]}" rmi -f "arxiv-digest/$t:$TAG" >/dev/null 2>&1
    done
  fi
  if [ $rc -ne 0 ]; then
    echo "smoke: logs and manifests kept in $WORK" >&2
  else
    rm -rf "$WORK"
  fi
  echo "smoke: finished in $(elapsed)s (exit $rc)"
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

# --- the overlay, as podman 4.3 plays it -------------------------------------
step "rendering deploy/k8s/overlays/local"
kubectl kustomize deploy/k8s/overlays/local >"$WORK/rendered.yaml" \
  || die "kubectl kustomize deploy/k8s/overlays/local"
# A password of this run in the Secret: the services must take it from there.
REDIS_TEST_PASSWORD="smoke-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
CONVERT=(python3 deploy/tools/kube-play-manifests.py "$WORK/rendered.yaml" --out "$KUBE"
  --set "arxiv-digest-env.ARXIV_RSS_URL=file:///sample/$DAY/"
  --set "arxiv-digest-redis.REDIS_PASSWORD=$REDIS_TEST_PASSWORD"
  --host-volume "fetcher:sample:$REPO/data/sample:/sample"
  --image "docker.io/library/redis=localhost/arxiv-digest/redis:$TAG")
for t in fetcher scorer publisher api; do
  CONVERT+=(--image "arxiv-digest/$t=localhost/arxiv-digest/$t:$TAG")
done
step "converting for podman kube play (every change listed):"
"${CONVERT[@]}" | sed 's/^/smoke:   /' || die "kube-play-manifests.py"
mapfile -t ALL_PODS <"$KUBE/pods"
mapfile -t VOLUMES <"$KUBE/volumes"
for f in "$KUBE"/secrets/*; do n="$(basename "$f")"; SECRETS+=("${n%.*}"); done
# Leftovers of an interrupted run have the same names: remove them first.
PODS=("${ALL_PODS[@]}")
remove_objects
PODS=()

"${PODMAN[@]}" network create "$NET" >/dev/null || die "podman network create $NET"
for f in "$KUBE"/secrets/*; do
  n="$(basename "$f")"
  "${PODMAN[@]}" secret create "${n%.*}" "$f" >/dev/null || die "podman secret create ${n%.*}"
done

declare -A IP
# podman kube play of one pod on the network; records its IP.
play() {
  local pod="$1" infra
  PODS+=("$pod")
  "${PODMAN[@]}" kube play --network "$NET" "$KUBE/$pod.yaml" >"$WORK/play-$pod.log" 2>&1 \
    || { cat "$WORK/play-$pod.log" >&2; die "podman kube play $pod.yaml"; }
  infra="$("${PODMAN[@]}" pod inspect "$pod" --format '{{.InfraContainerID}}')"
  IP[$pod]="$("${PODMAN[@]}" inspect "$infra" \
    --format "{{(index .NetworkSettings.Networks \"$NET\").IPAddress}}")"
  [ -n "${IP[$pod]}" ] || die "$pod has no address on $NET"
}
probe() {  # kind pod [--quiet]
  python3 deploy/tools/kube-play-probe.py --kind "$1" --ip "${IP[$2]}" ${3:+"$3"} \
    "$KUBE/$2.yaml" -- "${PODMAN[@]}"
}
# Ready = every readinessProbe of the pod passes, within 60 s.
wait_ready() {
  local pod="$1"
  for _ in $(seq 120); do
    probe readiness "$pod" --quiet >/dev/null 2>&1 && break
    sleep 0.5
  done
  probe readiness "$pod" | sed 's/^/smoke:   /' || die "$pod is not ready (logs: $WORK)"
}

step "kube play redis (${ALL_PODS[0]} first: the services need it)"
play redis
wait_ready redis
# As an operator would: redis-cli in the pod, as the Secret's ACL user.
rcli() {
  # shellcheck disable=SC2016 # expanded by the shell in the container
  "${PODMAN[@]}" exec redis-redis sh -c \
    'REDISCLI_AUTH="$REDIS_PASSWORD" exec redis-cli --no-auth-warning --user "$REDIS_USER" "$@"' rcli "$@"
}
[ "$(rcli ping)" = PONG ] || die "redis: the ACL user of the Secret is refused"
# Whole replies first: grep -q in a pipe would end the writer early (pipefail).
REPLY="$("${PODMAN[@]}" exec redis-redis redis-cli ping 2>&1 || true)"
[[ "$REPLY" == *NOAUTH* ]] || die "redis: the default user is not disabled ($REPLY)"
REPLY="$("${PODMAN[@]}" exec redis-redis redis-cli --no-auth-warning --user arxiv \
  --pass wrong ping 2>&1 || true)"
[[ "$REPLY" == *WRONGPASS* ]] || die "redis: a wrong password is not refused ($REPLY)"
REPLY="$(rcli config get maxmemory 2>&1 || true)"
[[ "$REPLY" == *NOPERM* ]] || die "redis: the ACL user may run admin commands ($REPLY)"
step "redis: ACL user from the Secret accepted; default user, wrong password and CONFIG refused"

step "kube play publisher, scorer, api"
for pod in "${ALL_PODS[@]}"; do
  case "$pod" in redis|fetcher) continue ;; esac
  play "$pod"
done
for pod in "${PODS[@]}"; do [ "$pod" = redis ] || wait_ready "$pod"; done
step "all services ready (they reach redis:6379 as the ACL user of REDIS_URL)"

# The local overlay's fetcher is a long-running Deployment whose first cycle
# runs at start: playing it runs the bundled day.
step "kube play fetcher: its first cycle fetches the bundled day $DAY"
play fetcher
wait_ready fetcher
RUN_ID=""
while [ -z "$RUN_ID" ]; do
  RUN_ID="$("${PODMAN[@]}" logs fetcher-fetcher 2>&1 | python3 -c '
import json, sys
for line in sys.stdin:
    try:
        entry = json.loads(line)
    except ValueError:
        continue
    if isinstance(entry, dict) and entry.get("msg") == "run written":
        print(entry.get("run_id", "")); break
    if isinstance(entry, dict) and entry.get("msg") == "fetch failed":
        print("FAILED"); break')"
  [ "$RUN_ID" = FAILED ] && die "the fetcher's cycle failed (logs: $WORK)"
  [ "$(elapsed)" -lt "$TIMEOUT" ] || die "no run written within ${TIMEOUT}s"
  [ -n "$RUN_ID" ] || sleep 1
done
step "run $RUN_ID written"

while true; do
  STATUS="$(rcli hget "arxiv:run:$RUN_ID" status)"
  [ "$STATUS" = published ] && break
  [ "$STATUS" = failed ] && die "run $RUN_ID failed (logs: $WORK)"
  [ "$(elapsed)" -lt "$TIMEOUT" ] || die "run $RUN_ID not published within ${TIMEOUT}s"
  sleep 1
done
step "published: $(rcli hget "arxiv:run:$RUN_ID" relevant_papers) relevant of $(rcli hget "arxiv:run:$RUN_ID" papers_to_score) scored"

# --- the digest through both front doors -------------------------------------
WEB="http://${IP[api]}:8080"
curl -fsS "$WEB/p/default/$DAY.md" >"$WORK/web.md" || die "web port: GET /p/default/$DAY.md"
curl -fsS "$WEB/p/default/$DAY" >"$WORK/web.html" || die "web port: GET /p/default/$DAY"
# A gRPC client elsewhere on the network, reaching the api by its Service name.
"${PODMAN[@]}" run --rm --network "$NET" --entrypoint arxivctl "arxiv-digest/api:$TAG" \
  --server api:50051 --timeout 20 digest get --date "$DAY" --format markdown \
  >"$WORK/grpc.md" || die "gRPC: arxivctl --server api:50051 digest get"
[ -s "$WORK/web.md" ] || die "empty digest from the web port"
grep -q "$DAY" "$WORK/web.md" || die "the web digest does not name $DAY"
# arxivctl ends what it prints with a newline; the stored digest may not.
# shellcheck disable=SC1003
cmp -s <(sed -e '$a\' "$WORK/web.md") <(sed -e '$a\' "$WORK/grpc.md") \
  || die "web and gRPC digests differ ($WORK)"
step "digest: $(wc -c <"$WORK/web.md") bytes, identical over HTTP (web port) and gRPC (api:50051)"

# --- what the manifests promise ----------------------------------------------
for pod in "${PODS[@]}"; do
  probe liveness "$pod" | sed 's/^/smoke:   /' || die "$pod: a liveness probe fails"
  python3 deploy/tools/kube-play-check-security.py "$KUBE/$pod.yaml" -- "${PODMAN[@]}" \
    | sed 's/^/smoke:   /' || die "$pod does not run with its securityContext"
done
step "liveness probes pass; every container runs with its securityContext and limits"

# Every image says what it is (--version) and every service exports its
# build-info metric.
declare -A ADMIN=([fetcher]=9101 [scorer]=9102 [publisher]=9103 [api]=9104)
for svc in fetcher scorer publisher api; do
  curl -fsS "http://${IP[$svc]}:${ADMIN[$svc]}/metrics" >"$WORK/metrics-$svc.txt" \
    || die "$svc: GET /metrics"
  grep -q '^arxiv_digest_build_info{' "$WORK/metrics-$svc.txt" \
    || die "$svc: no arxiv_digest_build_info metric"
  "${PODMAN[@]}" run --rm "arxiv-digest/$svc:$TAG" --version >/dev/null || die "$svc --version"
done
VERSION="$("${PODMAN[@]}" run --rm "arxiv-digest/publisher:$TAG" --version)"
[ "$("${PODMAN[@]}" run --rm "arxiv-digest/publisher:$TAG" render --version)" = "$VERSION" ] \
  || die "publisher render --version differs from publisher --version"
step "build_info metric on every service; --version: $VERSION"

# LOG_FORMAT=json: every line a service wrote is a JSON object (stdout's
# key=value lines such as grpc_port=N are output, not logs).
dump_logs
for pod in fetcher scorer publisher api; do
  python3 - "$WORK/$pod-$pod.log" <<'PY' || die "$pod: a log line is not JSON (see $WORK/$pod-$pod.log)"
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
