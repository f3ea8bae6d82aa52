# Search target, sourced by run.sh: POST /search on the sample docs index (built on first run).
export BENCH_BODY='{"query":"how do I enable TLS with a certificate","count":3}'
export BENCH_SIGNATURE=
results+=("$(run post_search "$BASE/search" "$HERE/post.lua")")
