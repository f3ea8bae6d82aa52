#!/bin/sh
# The agent author's edit-test loop: an edit of one agent file, then that agent's tests.
# Builds once first (not timed), then times RUNS rounds of "change a filler phrase in
# agents/appointments.rs, run `cargo test --test agents appointments`", restoring the file
# after each round. Usage: scripts/edit_test_loop.sh [RUNS]
set -eu
cd "$(dirname "$0")/.."
runs=${1:-3}
file=agents/appointments.rs
cp "$file" "$file.orig"
trap 'mv "$file.orig" "$file"' EXIT
cargo test --quiet --test agents appointments >/dev/null 2>&1
i=0
while [ "$i" -lt "$runs" ]; do
    i=$((i + 1))
    sed -i "s/Let me book that\.[^\"]*/Let me book that. $i/" "$file"
    start=$(date +%s.%N)
    cargo test --quiet --test agents appointments >/dev/null 2>&1
    end=$(date +%s.%N)
    awk -v s="$start" -v e="$end" -v i="$i" 'BEGIN { printf "round %d: %.1f s\n", i, e - s }'
    cp "$file.orig" "$file"
done
