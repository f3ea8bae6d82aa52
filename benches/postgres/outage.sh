#!/usr/bin/env bash
# What a caller of a Postgres index sees through an outage of its database, over HTTP against
# the release binary: answer times before, the status and answer time of each search while the
# database is down (503 with Retry-After, bounded by the connect and statement timeouts), and
# how long after the database is back the first search succeeds. /ready is probed throughout.
#
#   STOP_DB='pg_ctl -D DATA stop -m fast' START_DB='pg_ctl -D DATA -l LOG start' \
#     benches/postgres/outage.sh postgres://user@127.0.0.1:5432/db
#
# The database needs the `vector` extension; the collection `outage_kb` is (re)built there
# from docs/ with the binary's own `index build --backend postgres`.
set -euo pipefail
cd "$(dirname "$0")/../.."
url=${1:?usage: outage.sh DATABASE_URL (STOP_DB and START_DB in the environment)}
: "${STOP_DB:?the command that stops the database}" "${START_DB:?the command that starts it}"
bin=target/release/swml-server
port=${PORT:-3917}
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT

SWML_INDEX_POSTGRES_URL="$url" SWML_SEARCH_INDEXES_DIR="$work/indexes" \
  "$bin" index build docs --name outage_kb --chunking markdown \
  --backend postgres --collection outage_kb > /dev/null
cat > "$work/swml.toml" <<TOML
[search.indexes.outage_kb]
backend = "postgres"
url = "$url"
collection = "outage_kb"
TOML
SWML_CONFIG_FILE="$work/swml.toml" PORT=$port SWML_BASIC_AUTH_USER=bench \
  SWML_BASIC_AUTH_PASSWORD=bench-password SWML_RATE_LIMIT=0 SWML_SEARCH_INDEXES_DIR="$work/indexes" \
  SIGNALWIRE_LOG_LEVEL=warn "$bin" > "$work/server.log" 2>&1 &
server=$!
until curl -s -o /dev/null "http://127.0.0.1:$port/ready"; do sleep 0.05; done

search() { # prints "<status> <seconds>"
  curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -u bench:bench-password \
    -H 'content-type: application/json' \
    -d '{"query":"how do I turn on TLS?","index_name":"outage_kb","mode":"lexical"}' \
    "http://127.0.0.1:$port/search"
}
ready() { curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/ready"; }

echo "database up:";   for _ in 1 2 3 4 5; do search; done
eval "$STOP_DB" > /dev/null
echo "database down (/ready $(ready)):"; for _ in 1 2 3 4 5; do search; done
started=$(date +%s.%N)
eval "$START_DB" > /dev/null
until [ "$(search | cut -d' ' -f1)" = 200 ]; do sleep 0.02; done
echo "first 200 after the start command returned: $(echo "$(date +%s.%N) - $started" | bc) s (/ready $(ready))"
