#!/usr/bin/env bash
# One full daily cycle on this machine: installs what is missing, builds,
# starts a private redis-server on a free loopback port, the publisher and
# two scorer replicas, runs the fetcher once, waits for the digest, prints
# where it is, and stops everything.
#
# Default (no OPENAI_API_KEY, no network): a whole real arXiv day bundled in
# data/sample/ (2025-04-08) scored by the built-in lexical scorer.
#   ./scripts/run.sh                      # bundled day 2025-04-08
#   ./scripts/run.sh --day 2025-04-15     # the other bundled day
#   OPENAI_API_KEY=sk-... ./scripts/run.sh            # real LLM, bundled day
#   OPENAI_API_KEY=sk-... ./scripts/run.sh --live     # real LLM, today's arXiv
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
cd "$REPO"

DAY="2025-04-08"
LIVE=0
CONFIGS="$REPO/configs"
OUT="$REPO/out"
while [ $# -gt 0 ]; do
  case "$1" in
    --day) DAY="$2"; shift 2 ;;
    --live) LIVE=1; shift ;;
    --configs) CONFIGS="$(cd "$2" && pwd)"; shift 2 ;;
    --out) mkdir -p "$2"; OUT="$(cd "$2" && pwd)"; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

./scripts/install_deps.sh
./scripts/build.sh
BIN="$REPO/${BUILD_DIR:-build}/services"

WORK="$(mktemp -d /tmp/arxiv-digest-run.XXXXXX)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -n "${REDIS_PORT:-}" ]; then
    redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT

REDIS_PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no \
  --dir "$WORK" --daemonize yes --logfile "$WORK/redis.log" >/dev/null
for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
export REDIS_URL="redis://127.0.0.1:$REDIS_PORT"

if [ "$LIVE" = 1 ]; then
  export ARXIV_RSS_URL="${ARXIV_RSS_URL:-https://rss.arxiv.org/rss/}"
else
  [ -d "$REPO/data/sample/$DAY" ] || { echo "run.sh: no bundled day $DAY in data/sample/" >&2; exit 2; }
  export ARXIV_RSS_URL="file://$REPO/data/sample/$DAY/"
fi
if [ -z "${OPENAI_API_KEY:-}" ]; then
  export SCORER_BACKEND=lexical
  echo "================================================================"
  echo " No OPENAI_API_KEY: scoring with the built-in LEXICAL scorer"
  echo " (keyword model of configs/paper_topics.txt), not an LLM."
  echo "================================================================"
fi
echo "feeds:  $ARXIV_RSS_URL"
echo "redis:  $REDIS_URL (private, stopped at exit)"
echo "logs:   $WORK"

"$BIN/publisher/publisher" --configs "$CONFIGS" --output-path "$OUT" \
  --admin-port 0 2>"$WORK/publisher.log" & PIDS+=($!)
for i in 1 2; do
  "$BIN/scorer/scorer" --configs "$CONFIGS" --consumer "scorer-$i" \
    --admin-port 0 2>"$WORK/scorer-$i.log" & PIDS+=($!)
done

FETCH_OUT="$("$BIN/fetcher/fetcher" --configs "$CONFIGS" --once --admin-port 0 2>"$WORK/fetcher.log")" || {
  echo "run.sh: the fetcher failed:" >&2; tail -5 "$WORK/fetcher.log" >&2; exit 1; }
RUN_ID="$(echo "$FETCH_OUT" | sed -n 's/^run_id=//p')"
STATUS="$(echo "$FETCH_OUT" | sed -n 's/^status=//p')"
echo "run:    $RUN_ID ($STATUS)"
if [ "$STATUS" = "no_announcements" ]; then
  echo "No announcements in these feeds (weekend or holiday): no digest today."
  exit 0
fi

TIMEOUT="${RUN_TIMEOUT_SECONDS:-1800}"
START=$(date +%s)
while true; do
  STATUS="$(redis-cli -p "$REDIS_PORT" hget "arxiv:run:$RUN_ID" status)"
  [ "$STATUS" = "published" ] && break
  SCORED="$(redis-cli -p "$REDIS_PORT" hlen "arxiv:run:$RUN_ID:scores")"
  TOTAL="$(redis-cli -p "$REDIS_PORT" hget "arxiv:run:$RUN_ID" papers_to_score)"
  printf '\rscored: %s / %s papers' "$SCORED" "$TOTAL"
  if [ $(( $(date +%s) - START )) -gt "$TIMEOUT" ]; then
    echo; echo "run.sh: timed out after ${TIMEOUT}s; logs in $WORK" >&2; exit 1
  fi
  sleep 1
done
echo
field() { redis-cli -p "$REDIS_PORT" hget "arxiv:run:$RUN_ID" "$1"; }
echo "================================================================"
echo " Digest for $(field date): $(field relevant_papers) relevant papers of $(field papers_to_score) scored"
echo "   markdown: $(field md_path)"
echo "   json:     $(field json_path)"
echo "   html:     $(field html_path)"
echo "================================================================"
sed -n '1,30p' "$(field md_path)"
