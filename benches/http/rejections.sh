#!/usr/bin/env bash
# What a rejected request costs, against the open probe: `GET /ready`, and `GET /health` with a
# wrong password (401) or over the rate limit (429), in the same run.
# Usage: benches/http/rejections.sh [BINARY=target/release/swml-server] [turns=5] [seconds=3]
#        [connections=32]
# Two servers run for the whole script, both logging in the default mode (stdout, to a file):
# one with `SWML_RATE_LIMIT=0` for `/ready` and the 401s, one at the default limit for the 429s
# (every request after the first 60 is refused). wrk drives the targets in turns so each sees the
# same phases of a shared machine; the script prints each turn, the mean requests/s of each
# target, the ratio to `/ready`, the server's CPU time per request (user + system, from /proc:
# steadier than requests/s when other jobs share the machine) and the log bytes written per
# request. Needs wrk.
set -euo pipefail
cd "$(dirname "$0")/../.."
BINARY=${1:-target/release/swml-server}
TURNS=${2:-5}
SECONDS_PER_RUN=${3:-3}
CONNECTIONS=${4:-32}
HERE=benches/http
WORK=$(mktemp -d)
# shellcheck source=benches/http/lib.sh
source "$HERE/lib.sh"

pids=()
cleanup() {
  kill "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

OPEN_PORT=3961
LIMITED_PORT=3962
declare -A pid_of=()
# start PORT RATE_LIMIT: one server, its log in $WORK/PORT.log. No index: nothing refreshes.
start() {
  mkdir -p "$WORK/indexes"
  HOST=127.0.0.1 PORT=$1 SWML_RATE_LIMIT=$2 SWML_MAX_CONNECTIONS_PER_CLIENT=0 \
    SWML_BASIC_AUTH_PASSWORD=bench-password SWML_SEARCH_INDEXES_DIR="$WORK/indexes" \
    SWML_DRAIN_DELAY=0 "$BINARY" >"$WORK/$1.log" 2>&1 &
  pids+=($!)
  pid_of[$1]=$!
  wait_ready "http://127.0.0.1:$1/ready" "${pids[-1]}" "$BINARY"
}
start $OPEN_PORT 0
start $LIMITED_PORT 60

export BENCH_DIR=$HERE BENCH_USER=signalwire
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# drive NAME URL [lua script]: "requests/s requests non-2xx log-bytes cpu-ticks" of one wrk run
drive() {
  local port log before ticks out
  port=$(sed -E 's|http://127.0.0.1:([0-9]+)/.*|\1|' <<<"$2")
  log="$WORK/$port.log"
  before=$(stat -c %s "$log")
  ticks=$(cpu_ticks "${pid_of[$port]}")
  local args=(-t2 "-c$CONNECTIONS" "-d${SECONDS_PER_RUN}s")
  [ -n "${3:-}" ] && args+=(-s "$3")
  out=$(wrk "${args[@]}" "$2")
  awk -v grown=$(($(stat -c %s "$log") - before)) \
    -v ticks=$(($(cpu_ticks "${pid_of[$port]}") - ticks)) '
    /requests in/ {n = $1} /Requests\/sec/ {r = $2} /Non-2xx/ {e = $NF}
    END {printf "%.0f %d %d %d %d\n", r, n, e, grown, ticks}' <<<"$out"
}

declare -A sum=() bytes=() count=() refused=() cpu=()
names=(ready wrong_password over_limit)
for turn in $(seq 1 "$TURNS"); do
  line="turn $turn:"
  for name in "${names[@]}"; do
    case $name in
      ready) result=$(drive "$name" "http://127.0.0.1:$OPEN_PORT/ready") ;;
      wrong_password) result=$(BENCH_PASSWORD=wrong-password drive "$name" \
        "http://127.0.0.1:$OPEN_PORT/health" "$HERE/basic_auth.lua") ;;
      over_limit) result=$(BENCH_PASSWORD=bench-password drive "$name" \
        "http://127.0.0.1:$LIMITED_PORT/health" "$HERE/basic_auth.lua") ;;
    esac
    read -r rps n non2xx grown ticks <<<"$result"
    sum[$name]=$(awk -v a="${sum[$name]:-0}" -v b="$rps" 'BEGIN {print a + b}')
    count[$name]=$((${count[$name]:-0} + n))
    refused[$name]=$((${refused[$name]:-0} + non2xx))
    bytes[$name]=$((${bytes[$name]:-0} + grown))
    cpu[$name]=$((${cpu[$name]:-0} + ticks))
    line+=" $name $rps/s"
  done
  echo "$line"
done

echo
echo "$BINARY, $(nproc) cores, wrk -t2 -c$CONNECTIONS, $TURNS turns of ${SECONDS_PER_RUN} s each"
echo
echo "| target | requests/s (mean) | vs \`/ready\` | server CPU per request | non-2xx | log bytes per request |"
echo "|---|---|---|---|---|---|"
hz=$(getconf CLK_TCK)
ready=$(awk -v s="${sum[ready]}" -v t="$TURNS" 'BEGIN {print s / t}')
for name in "${names[@]}"; do
  awk -v n="$name" -v s="${sum[$name]}" -v t="$TURNS" -v r="$ready" -v c="${count[$name]}" \
    -v e="${refused[$name]}" -v b="${bytes[$name]}" -v k="${cpu[$name]}" -v hz="$hz" \
    'BEGIN { printf "| %s | %.0f | %.0f%% | %.2f µs | %d of %d | %.1f |\n", n, s / t, 100 * s / t / r, k / hz * 1e6 / c, e, c, b / c }'
done
