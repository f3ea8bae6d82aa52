#!/usr/bin/env bash
# Compares two server binaries on POST /search with a new question every request, or, with
# AB_PATH set (e.g. AB_PATH=/ready), on a plain GET of that path.
# Usage: [AB_PATH=/ready] benches/http/ab.sh BINARY_A BINARY_B [turns=10] [seconds=3]
# Both servers run at once (ports 3931 and 3932, the sample docs index); wrk drives them in
# turns, A then B, and each turn prints both figures and B/A. This machine's speed drifts over
# minutes (the same binary has given 23k to 40k requests/s), so two runs a minute apart compare
# the machine as much as the code; turns a few seconds apart compare the code. Needs wrk.
set -euo pipefail
cd "$(dirname "$0")/../.."
A=$1
B=$2
TURNS=${3:-10}
SECONDS_PER_RUN=${4:-3}
HERE=benches/http
export BENCH_DIR=$HERE BENCH_USER=signalwire BENCH_PASSWORD=bench-password
# shellcheck source=benches/http/lib.sh
source "$HERE/lib.sh"

pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; }
trap cleanup EXIT

# drive PORT SECONDS: requests/s of one wrk run
drive() {
  if [ -n "${AB_PATH:-}" ]; then
    wrk -t2 -c32 "-d$2s" "http://127.0.0.1:$1$AB_PATH" | awk '/Requests\/sec/ {print $2}'
    return
  fi
  BENCH_BASE=http://127.0.0.1:$1 wrk -t2 -c32 "-d$2s" -s "$HERE/search_distinct.lua" \
    "http://127.0.0.1:$1/search" | awk '/Requests\/sec/ {print $2}'
}

port=3930
for binary in "$A" "$B"; do
  port=$((port + 1))
  # All the load comes from one address: no rate limit, no per-client connection limit.
  HOST=127.0.0.1 PORT=$port SWML_RATE_LIMIT=0 SWML_MAX_CONNECTIONS_PER_CLIENT=0 \
    SWML_BASIC_AUTH_PASSWORD=bench-password \
    SIGNALWIRE_SIGNING_KEY=bench-signing-key SIGNALWIRE_SWAIG_SECRET=bench-swaig-secret \
    "$binary" >/dev/null 2>&1 &
  pids+=($!)
  wait_ready "http://127.0.0.1:$port/ready" "${pids[-1]}" "$binary"
  drive "$port" 2 >/dev/null # warm up: caches, word maps, stems
done

sum_a=0
sum_b=0
for turn in $(seq 1 "$TURNS"); do
  a=$(drive 3931 "$SECONDS_PER_RUN")
  b=$(drive 3932 "$SECONDS_PER_RUN")
  sum_a=$(awk -v s="$sum_a" -v x="$a" 'BEGIN {print s + x}')
  sum_b=$(awk -v s="$sum_b" -v x="$b" 'BEGIN {print s + x}')
  awk -v t="$turn" -v a="$a" -v b="$b" 'BEGIN {printf "turn %d: A %.0f  B %.0f  B/A %.3f\n", t, a, b, b / a}'
done
awk -v a="$sum_a" -v b="$sum_b" -v n="$TURNS" \
  'BEGIN {printf "mean: A %.0f  B %.0f requests/s, B/A %.3f\n", a / n, b / n, b / a}'
