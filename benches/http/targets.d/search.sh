# Search targets, sourced by run.sh: POST /search on the sample docs index (built on first run),
# once with one repeated question (served from the answer cache after the first request) and
# once with a different question every request (the whole search every time).
export BENCH_BODY='{"query":"how do I enable TLS with a certificate","count":3}'
export BENCH_SIGNATURE=
results+=("$(run post_search_repeated "$BASE/search" "$HERE/post.lua")")
results+=("$(run post_search_distinct "$BASE/search" "$HERE/search_distinct.lua")")

# The machine's speed drifts over minutes (the same binary has given 23k to 40k new questions
# a second), so the ratio of two runs a minute apart moves by ten points. The same ratio
# measured in turns: /ready and a new question alternately, INTERLEAVED_TURNS runs of 3 s
# each, the ratio of the two sums (printed after the table).
INTERLEAVED_TURNS=${INTERLEAVED_TURNS:-5}
turn_ready=0
turn_search=0
for _ in $(seq 1 "$INTERLEAVED_TURNS"); do
  rps=$(wrk -t2 "-c$CONNECTIONS" -d3s "$BASE/ready" | awk '/Requests\/sec/ {print $2}')
  turn_ready=$(awk -v a="$turn_ready" -v b="$rps" 'BEGIN {print a + b}')
  rps=$(wrk -t2 "-c$CONNECTIONS" -d3s -s "$HERE/search_distinct.lua" "$BASE/search" |
    awk '/Requests\/sec/ {print $2}')
  turn_search=$(awk -v a="$turn_search" -v b="$rps" 'BEGIN {print a + b}')
done
interleaved=$(awk -v r="$turn_ready" -v s="$turn_search" -v n="$INTERLEAVED_TURNS" \
  'BEGIN { printf "new question every request vs /ready, %d turns of 3 s each: %.0f vs %.0f requests/s, %.0f%%", n, s / n, r / n, 100 * s / r }')
