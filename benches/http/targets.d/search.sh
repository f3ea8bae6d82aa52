# Search targets, sourced by run.sh: POST /search on the sample docs index (built on first run).
# The same question every time: after the first request, answered from the answer cache.
export BENCH_BODY='{"query":"how do I enable TLS with a certificate","count":3}'
export BENCH_SIGNATURE=
results+=("$(run post_search "$BASE/search" "$HERE/post.lua")")
# A different question every time, so every request searches (see search_distinct.lua).
export BENCH_QUERY='how do I enable TLS with a certificate'
results+=("$(run post_search_uncached "$BASE/search" "$HERE/search_distinct.lua")")
