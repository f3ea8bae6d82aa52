#!/usr/bin/env bash
# Instructions the whole server (every thread) executes per request, counted by valgrind.
# Usage: benches/http/instructions.sh [BINARY=target/release/swml-server]
#        [KINDS="ready health search"] [REQUESTS=5000]
#
# Throughput on this shared 2-core machine drifts by tens of percent from minute to minute, so a
# change worth a few percent cannot be seen in requests/s. An instruction count is exact and
# repeatable: for each kind the server runs twice under callgrind, serving 300 warm-up requests
# and then 500 or 500 + REQUESTS more over one connection (sequential_client.py); the difference
# of the two totals divided by REQUESTS is the cost of one request, startup and shutdown
# cancelled out. What varies between runs (timers that tick with wall time, which valgrind
# stretches) moves /ready by about 1% at 5,000 requests, 5% at 2,000.
# It counts work, not time: cache misses and waits do not show, and `rep stos` counts once per
# byte (actix zeroes a 3 KB header table on every parse attempt). Needs valgrind and python3,
# and a built binary (`cargo build --release`; this script does not build).
set -euo pipefail
cd "$(dirname "$0")/../.."
BINARY=${1:-target/release/swml-server}
KINDS=${2:-ready health search}
REQUESTS=${3:-5000}
HERE=benches/http
PORT=3966
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
export BENCH_USER=signalwire BENCH_PASSWORD=bench-password
# shellcheck source=benches/http/lib.sh
source "$HERE/lib.sh"

# total KIND COUNT: instructions of one server run serving 300 + COUNT requests of KIND
total() {
  local kind=$1 count=$2
  HOST=127.0.0.1 PORT=$PORT SWML_RATE_LIMIT=0 SWML_BASIC_AUTH_PASSWORD=$BENCH_PASSWORD \
    SIGNALWIRE_SIGNING_KEY=bench-signing-key SIGNALWIRE_SWAIG_SECRET=bench-swaig-secret \
    valgrind --tool=callgrind --callgrind-out-file="$OUT/$kind.$count" "$BINARY" \
    >/dev/null 2>"$OUT/$kind.$count.log" &
  local pid=$!
  # Slow to start under valgrind (and the first run may build the sample index).
  wait_ready "http://127.0.0.1:$PORT/ready" "$pid" "the server under valgrind" 600
  # Warm-up questions are numbered apart from the measured ones: none is answered from cache.
  python3 "$HERE/sequential_client.py" "$PORT" "$kind" 300 1000000
  python3 "$HERE/sequential_client.py" "$PORT" "$kind" "$count" 2000000
  kill -INT "$pid"
  wait "$pid" || true
  awk '/^summary:/ {print $2}' "$OUT/$kind.$count"
}

echo "commit $(git rev-parse --short HEAD), $BINARY"
for kind in $KINDS; do
  small=$(total "$kind" 500)
  large=$(total "$kind" $((500 + REQUESTS)))
  echo "$kind: $(((large - small) / REQUESTS)) instructions per request"
done
