#!/usr/bin/env bash
# Two server binaries in turns: POST /search with a new question every request, and /ready.
# Usage: benches/http/compare.sh BINARY_A DIR_A BINARY_B DIR_B [turns=8] [connections=32]
# Each binary runs from its own checkout (DIR_*, where it builds its `docs` index from the
# recipe); the two serve at once on two ports and wrk drives them alternately, 3 s a turn, so
# both see the same phases of a shared machine. Prints the mean requests/s of each.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
A=$1 DIR_A=$2 B=$3 DIR_B=$4 TURNS=${5:-8} CONNECTIONS=${6:-32}
PASSWORD=bench-password
# shellcheck source=benches/http/lib.sh
source "$HERE/lib.sh"
cleanup() { kill "${PID_A:-}" "${PID_B:-}" 2>/dev/null || true; }
trap cleanup EXIT

start() { # binary dir port; `exec` so that $! is the server itself, which cleanup stops
  (cd "$2" && HOST=127.0.0.1 PORT=$3 SWML_RATE_LIMIT=0 SWML_BASIC_AUTH_PASSWORD=$PASSWORD \
    SIGNALWIRE_SIGNING_KEY=bench-signing-key exec "$1" >/dev/null 2>&1) &
}
start "$A" "$DIR_A" 3904
PID_A=$!
start "$B" "$DIR_B" 3905
PID_B=$!
wait_ready http://127.0.0.1:3904/ready "$PID_A" A
wait_ready http://127.0.0.1:3905/ready "$PID_B" B

export BENCH_DIR=$HERE BENCH_USER=signalwire BENCH_PASSWORD=$PASSWORD
rps() { wrk -t2 "-c$CONNECTIONS" -d3s "$@" | awk '/Requests\/sec/ {print $2}'; }
declare -A sum=()
for _ in $(seq 1 "$TURNS"); do
  for port in 3904 3905; do
    sum[search$port]=$(awk -v a="${sum[search$port]:-0}" -v b="$(rps -s "$HERE/search_distinct.lua" \
      "http://127.0.0.1:$port/search")" 'BEGIN {print a + b}')
    sum[ready$port]=$(awk -v a="${sum[ready$port]:-0}" -v b="$(rps "http://127.0.0.1:$port/ready")" \
      'BEGIN {print a + b}')
  done
done
for port in 3904 3905; do
  name=$([ "$port" = 3904 ] && echo "A ($A)" || echo "B ($B)")
  awk -v n="$name" -v s="${sum[search$port]}" -v r="${sum[ready$port]}" -v t="$TURNS" \
    'BEGIN { printf "%s: new question %.0f requests/s, /ready %.0f, %.0f%%\n", n, s / t, r / t, 100 * s / r }'
done
