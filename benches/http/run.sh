#!/usr/bin/env bash
# HTTP benchmark of swml-server against a bare actix-web hello route, on loopback.
# Usage: benches/http/run.sh [duration=10s] [connections=32]
# Prints a markdown table (requests/s, latency, ratio to the bare route) and the startup time
# and idle memory of the server. Needs wrk (Debian package `wrk`).
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${1:-10s}
CONNECTIONS=${2:-32}
HERE=benches/http
PASSWORD=bench-password
export BENCH_DIR=benches/http
SIGNING_KEY=bench-signing-key
BARE_ADDR=127.0.0.1:3901
PORT=3902
BASE=http://127.0.0.1:$PORT

cargo build --release --quiet --bin swml-server --example bare_hello

cleanup() { kill "${BARE_PID:-}" "${SERVER_PID:-}" 2>/dev/null || true; }
trap cleanup EXIT

target/release/examples/bare_hello "$BARE_ADDR" >/dev/null 2>&1 &
BARE_PID=$!

# shellcheck source=benches/http/lib.sh
source "$HERE/lib.sh"
wait_ready "http://$BARE_ADDR/" "$BARE_PID" bare_hello

start_ns=$(date +%s%N)
# All the load comes from one address: no rate limit, no per-client connection limit.
HOST=127.0.0.1 PORT=$PORT SWML_RATE_LIMIT=0 SWML_MAX_CONNECTIONS_PER_CLIENT=0 \
  SWML_BASIC_AUTH_PASSWORD=$PASSWORD \
  SIGNALWIRE_SIGNING_KEY=$SIGNING_KEY SIGNALWIRE_SWAIG_SECRET=bench-swaig-secret \
  target/release/swml-server >/dev/null 2>&1 &
SERVER_PID=$!
wait_ready "$BASE/ready" "$SERVER_PID" swml-server
ready_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
sleep 1
rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$SERVER_PID/status")

export BENCH_USER=signalwire BENCH_PASSWORD=$PASSWORD BENCH_SIGNING_KEY=$SIGNING_KEY BENCH_BASE=$BASE

# run NAME URL [lua script]: prints "NAME rps p50 p99"
run() {
  local name=$1 url=$2 script=${3:-}
  local args=(-t2 "-c$CONNECTIONS" "-d$DURATION" --latency)
  [ -n "$script" ] && args+=(-s "$script")
  local out
  out=$(wrk "${args[@]}" "$url")
  local rps p50 p99 non2xx
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
  echo "$name $rps $p50 $p99 ${non2xx:-0}"
}

results=()
results+=("$(run bare_hello "http://$BARE_ADDR/")")
results+=("$(run ready "$BASE/ready")")
results+=("$(run health "$BASE/health" "$HERE/basic_auth.lua")")
for extra in "$HERE"/targets.d/*.sh; do
  [ -e "$extra" ] || continue
  # shellcheck source=/dev/null
  source "$extra"
done

bare=$(awk '{print $2}' <<<"${results[0]}")
ready=$(awk '{print $2}' <<<"${results[1]}")
echo "commit $(git rev-parse --short HEAD), $(nproc) cores, wrk -t2 -c$CONNECTIONS -d$DURATION"
echo "startup to ready: ${ready_ms} ms; idle RSS after startup: $((rss_kb / 1024)) MiB"
echo
echo "| target | requests/s | p50 | p99 | non-2xx | vs bare hello | vs /ready |"
echo "|---|---|---|---|---|---|---|"
for line in "${results[@]}"; do
  read -r name rps p50 p99 non2xx <<<"$line"
  awk -v n="$name" -v r="$rps" -v a="$p50" -v b="$p99" -v e="$non2xx" -v bare="$bare" -v ready="$ready" \
    'BEGIN { printf "| %s | %.0f | %s | %s | %s | %.0f%% | %.0f%% |\n", n, r, a, b, e, 100*r/bare, 100*r/ready }'
done
if [ -n "${interleaved:-}" ]; then
  echo
  echo "$interleaved"
fi
