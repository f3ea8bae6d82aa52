# Search targets, sourced by run.sh: POST /search on the sample docs index (built on first run),
# once with one repeated question (served from the answer cache after the first request) and
# once with a different question every request (the whole search every time).
export BENCH_BODY='{"query":"how do I enable TLS with a certificate","count":3}'
export BENCH_SIGNATURE=
results+=("$(run post_search_repeated "$BASE/search" "$HERE/post.lua")")
results+=("$(run post_search_distinct "$BASE/search" "$HERE/search_distinct.lua")")
