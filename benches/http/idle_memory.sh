#!/usr/bin/env bash
# Resident memory of an idle server: no index (an empty indexes folder), the shipped agents,
# read one second after /ready first answers, in several fresh processes.
# Usage: benches/http/idle_memory.sh [binary=target/release/swml-server] [runs=3]
# Prints VmRSS and its parts (anonymous memory, file pages: the binary's own code and data),
# the share of transparent huge pages, and the threads by name.
set -euo pipefail
cd "$(dirname "$0")/../.."
BINARY=${1:-target/release/swml-server}
RUNS=${2:-3}
EMPTY=$(mktemp -d)
# shellcheck source=benches/http/lib.sh
source benches/http/lib.sh

pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rmdir "$EMPTY" 2>/dev/null || true
}
trap cleanup EXIT

for run in $(seq 1 "$RUNS"); do
  HOST=127.0.0.1 PORT=3960 SWML_BASIC_AUTH_PASSWORD=bench-password \
    SWML_SEARCH_INDEXES_DIR="$EMPTY" SIGNALWIRE_LOG_MODE=off "$BINARY" >/dev/null 2>&1 &
  pid=$!
  wait_ready http://127.0.0.1:3960/ready "$pid" "$BINARY"
  sleep 1
  printf 'run %d: %s %s\n' "$run" \
    "$(grep -E '^(VmRSS|RssAnon|RssFile)' "/proc/$pid/status" | tr -s ' \t\n' ' ')" \
    "$(grep AnonHugePages "/proc/$pid/smaps_rollup" | tr -s ' ')"
  if [ "$run" = 1 ]; then
    cat /proc/"$pid"/task/*/comm | sort | uniq -c | tr -s ' \n' ' '
    echo
  fi
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  pid=
done
