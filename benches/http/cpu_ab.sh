#!/usr/bin/env bash
# Compares two server binaries by the CPU time the server spends per request, and requests/s.
# Usage: benches/http/cpu_ab.sh BINARY_A BINARY_B [turns=10] [path=/ready] [seconds=4]
# Both servers run at once; wrk drives them in turns, A then B, with `wrk -t2 -c32`. For each run
# the server's user + system time (from /proc) is divided by the requests served. On a 2-core
# machine shared with other jobs requests/s swing by tens of percent from turn to turn, while
# the CPU time a request costs moves much less; a cost that only shows in the hardware (a cache
# line bouncing between cores) shows here and not in an instruction count. Run it twice with A
# and B swapped: the second run of a turn tends to lose a few percent. Needs wrk.
set -euo pipefail
cd "$(dirname "$0")/../.."
A=$1
B=$2
TURNS=${3:-10}
TARGET=${4:-/ready}
SECONDS_PER_RUN=${5:-4}
HERE=benches/http
EMPTY=$(mktemp -d)
# shellcheck source=benches/http/lib.sh
source "$HERE/lib.sh"

pids=()
cleanup() {
  kill "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
  rmdir "$EMPTY" 2>/dev/null || true
}
trap cleanup EXIT

port=3950
for binary in "$A" "$B"; do
  port=$((port + 1))
  # One client address and no index to refresh: no rate limit, no connection limit, no ticks.
  HOST=127.0.0.1 PORT=$port SWML_RATE_LIMIT=0 SWML_MAX_CONNECTIONS_PER_CLIENT=0 \
    SWML_BASIC_AUTH_PASSWORD=bench-password SWML_SEARCH_INDEXES_DIR="$EMPTY" SWML_DRAIN_DELAY=0 \
    "$binary" >/dev/null 2>&1 &
  pids+=($!)
  wait_ready "http://127.0.0.1:$port/ready" "${pids[-1]}" "$binary"
done

ticks=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# drive INDEX: "microseconds-per-request requests-per-second" of one wrk run
drive() {
  local pid=${pids[$1]} port=$((3951 + $1))
  local before after out
  before=$(cpu_ticks "$pid")
  out=$(wrk -t2 -c32 "-d${SECONDS_PER_RUN}s" "http://127.0.0.1:$port$TARGET")
  after=$(cpu_ticks "$pid")
  awk -v t=$((after - before)) -v hz="$ticks" '
    /requests in/ {n = $1} /Requests\/sec/ {r = $2}
    END {printf "%.2f %.0f\n", t / hz * 1e6 / n, r}' <<<"$out"
}

ratios=()
for turn in $(seq 1 "$TURNS"); do
  read -r cpu_a rps_a <<<"$(drive 0)"
  read -r cpu_b rps_b <<<"$(drive 1)"
  printf "turn %d: A %s us/request %s/s  B %s us/request %s/s\n" \
    "$turn" "$cpu_a" "$rps_a" "$cpu_b" "$rps_b"
  ratios+=("$(awk -v a="$cpu_a" -v b="$cpu_b" -v x="$rps_a" -v y="$rps_b" \
    'BEGIN {printf "%.4f %.4f", b / a, y / x}')")
done
# Medians of the per-turn ratios: one disturbed turn moves a mean, not a median.
median() { sort -n | awk '{v[NR] = $1} END {print (v[int((NR + 1) / 2)] + v[int(NR / 2) + 1]) / 2}'; }
cpu=$(printf "%s\n" "${ratios[@]}" | awk '{print $1}' | median)
rps=$(printf "%s\n" "${ratios[@]}" | awk '{print $2}' | median)
printf "median of %d turns, B/A: cpu per request %.3f, requests/s %.3f\n" "$TURNS" "$cpu" "$rps"
