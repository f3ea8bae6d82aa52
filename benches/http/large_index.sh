#!/usr/bin/env bash
# HTTP benchmark of POST /search on a large index, with the answer cache on and off.
# Usage: benches/http/large_index.sh [indexes-dir] [duration=10s] [connections=32]
# The default indexes folder is the synthetic 200,000-chunk index that
# `cargo run --release --example search_scale` builds (with its questions.txt). For each cache
# setting a server is started on it and driven with wrk on /ready, one repeated question, and a
# different question every request (questions.txt, each made unique). Needs wrk.
set -euo pipefail
cd "$(dirname "$0")/../.."
INDEXES=${1:-target/search-scale/synthetic-200000-42}
DURATION=${2:-10s}
CONNECTIONS=${3:-32}
HERE=benches/http
PASSWORD=bench-password
PORT=3903
BASE=http://127.0.0.1:$PORT
[ -f "$INDEXES/questions.txt" ] || {
  echo "$INDEXES/questions.txt missing: run cargo run --release --example search_scale" >&2
  exit 1
}

cargo build --release --quiet --bin swml-server

cleanup() { kill "${SERVER_PID:-}" 2>/dev/null || true; }
trap cleanup EXIT
# shellcheck source=benches/http/lib.sh
source "$HERE/lib.sh"

export BENCH_DIR=$HERE BENCH_USER=signalwire BENCH_PASSWORD=$PASSWORD
export BENCH_QUESTIONS=$INDEXES/questions.txt
question=$(head -n 1 "$BENCH_QUESTIONS")
export BENCH_BODY="{\"query\":\"$question\",\"count\":3}"

# rate NAME URL [script]: prints "NAME requests/s p50 p99 non-2xx"
rate() {
  local args=(-t2 "-c$CONNECTIONS" "-d$DURATION" --latency)
  [ -n "${3:-}" ] && args+=(-s "$3")
  local out
  out=$(wrk "${args[@]}" "$2")
  echo "$1 $(awk '/Requests\/sec/ {print $2}' <<<"$out") $(awk '$1=="50%" {print $2}' <<<"$out")" \
    "$(awk '$1=="99%" {print $2}' <<<"$out") $(awk '/Non-2xx/ {print $NF}' <<<"$out" | grep . || echo 0)"
}

echo "commit $(git rev-parse --short HEAD), $(nproc) cores, wrk -t2 -c$CONNECTIONS -d$DURATION, $INDEXES"
echo
echo "| answer cache | target | requests/s | p50 | p99 | non-2xx |"
echo "|---|---|---|---|---|---|"
for entries in 1024 0; do
  HOST=127.0.0.1 PORT=$PORT SWML_RATE_LIMIT=0 SWML_BASIC_AUTH_PASSWORD=$PASSWORD \
    SWML_SEARCH_INDEXES_DIR=$INDEXES SWML_SEARCH_ANSWER_CACHE_ENTRIES=$entries \
    SIGNALWIRE_SIGNING_KEY=bench-signing-key target/release/swml-server >/dev/null 2>&1 &
  SERVER_PID=$!
  wait_ready "$BASE/ready" "$SERVER_PID" swml-server
  cache=$([ "$entries" = 0 ] && echo off || echo on)
  for line in "$(rate ready "$BASE/ready")" \
    "$(rate repeated_question "$BASE/search" "$HERE/post.lua")" \
    "$(rate new_question_each_time "$BASE/search" "$HERE/search_distinct.lua")"; do
    read -r name rps p50 p99 non2xx <<<"$line"
    printf '| %s | %s | %.0f | %s | %s | %s |\n' "$cache" "$name" "$rps" "$p50" "$p99" "$non2xx"
  done
  kill "$SERVER_PID"
  wait "$SERVER_PID" 2>/dev/null || true
done
