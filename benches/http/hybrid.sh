#!/usr/bin/env bash
# Lexical against hybrid search over HTTP on the shipped `docs` index, and whether `/ready`
# stays answered while clients run hybrid searches.
# Usage: benches/http/hybrid.sh [duration=10s] [connections=32]
# Starts the release server from the repository (building the docs index and, in the
# background, its vectors, as a fresh checkout does; waits until /health says they are ready),
# then runs wrk with a new question every request (search_distinct.lua) in each mode, and, during
# the hybrid run, asks GET /ready every 100 ms from a client of its own and reports how long
# each answer took. Needs wrk and curl.
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${1:-10s}
CONNECTIONS=${2:-32}
PASSWORD=bench-password
PORT=3903
BASE=http://127.0.0.1:$PORT
export BENCH_DIR=benches/http BENCH_USER=signalwire BENCH_PASSWORD=$PASSWORD BENCH_BASE=$BASE

cargo build --release --quiet --bin swml-server

cleanup() { kill "${SERVER_PID:-}" "${PROBE_PID:-}" 2>/dev/null || true; }
trap cleanup EXIT

HOST=127.0.0.1 PORT=$PORT SWML_RATE_LIMIT=0 SWML_MAX_CONNECTIONS_PER_CLIENT=0 \
  SWML_BASIC_AUTH_PASSWORD=$PASSWORD target/release/swml-server >/tmp/swml-hybrid-bench.log 2>&1 &
SERVER_PID=$!
# shellcheck source=benches/http/lib.sh
source "$BENCH_DIR/lib.sh"
wait_ready "$BASE/ready" "$SERVER_PID" swml-server 600
until curl -sf -u "signalwire:$PASSWORD" "$BASE/health" | grep -q '"vectors":"ready"'; do
  kill -0 "$SERVER_PID" || exit 1
  sleep 1
done

run() {
  local out
  out=$(BENCH_MODE=$1 wrk -t2 "-c$CONNECTIONS" "-d$DURATION" --latency \
    -s "$BENCH_DIR/search_distinct.lua" "$BASE/search")
  printf '%-8s %8s req/s  p50 %8s  p99 %8s  non-2xx %s\n' "$1" \
    "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" \
    "$(awk '$1=="50%" {print $2}' <<<"$out")" "$(awk '$1=="99%" {print $2}' <<<"$out")" \
    "$(awk '/Non-2xx/ {print $NF}' <<<"$out" | grep . || echo 0)"
}

echo "POST /search, a new question every request, $CONNECTIONS connections, $DURATION each:"
run lexical
PROBES=$(mktemp)
(while true; do
  curl -s -o /dev/null -w '%{time_total}\n' "$BASE/ready" >>"$PROBES"
  sleep 0.1
done) &
PROBE_PID=$!
run hybrid
kill "$PROBE_PID"
wait "$PROBE_PID" 2>/dev/null || true
sort -n "$PROBES" | awk '{t[NR] = $1 * 1000} END {
  p50 = int(NR * 0.5) + 1; p99 = int(NR * 0.99) + 1; if (p99 > NR) p99 = NR
  printf "GET /ready during the hybrid run: %d probes, p50 %.1f ms, p99 %.1f ms, max %.1f ms\n",
    NR, t[p50], t[p99], t[NR] }'
rm -f "$PROBES"
