# Agent targets, sourced by run.sh: the SWML render and a signed SWAIG call with a valid token.
CALL_ID=bench-call
render_body="{\"call\":{\"call_id\":\"$CALL_ID\"}}"
render_signature=$(python3 "$HERE/sign.py" "$SIGNING_KEY" "$BASE/agent" "$render_body")
export BENCH_BODY=$render_body BENCH_SIGNATURE=$render_signature
results+=("$(run post_agent "$BASE/agent" "$HERE/post.lua")")

# Take the get_time token the way the platform does: from a rendered document.
token_query=$(curl -sf -u "signalwire:$PASSWORD" -H 'content-type: application/json' \
  -H "X-SignalWire-Signature: $render_signature" -d "$render_body" "$BASE/agent" | python3 -c '
import json, sys
doc = json.load(sys.stdin)
ai = next(v["ai"] for v in doc["sections"]["main"] if "ai" in v)
url = next(f["web_hook_url"] for f in ai["SWAIG"]["functions"] if f["function"] == "get_time")
print(url[url.index("?"):])')
swaig_url="$BASE/agent/swaig/$token_query"
swaig_body="{\"function\":\"get_time\",\"call_id\":\"$CALL_ID\",\"argument\":{\"parsed\":[{}]}}"
export BENCH_BODY=$swaig_body
BENCH_SIGNATURE=$(python3 "$HERE/sign.py" "$SIGNING_KEY" "$swaig_url" "$swaig_body")
export BENCH_SIGNATURE
results+=("$(run post_agent_swaig "$swaig_url" "$HERE/post.lua")")
