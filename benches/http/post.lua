-- wrk script: POST BENCH_BODY as JSON with basic auth and, when set, BENCH_SIGNATURE as the
-- webhook signature (the body and URL are fixed, so one signature serves every request).
dofile(os.getenv("BENCH_DIR") .. "/basic_auth.lua")
wrk.method = "POST"
wrk.body = os.getenv("BENCH_BODY")
wrk.headers["Content-Type"] = "application/json"
local signature = os.getenv("BENCH_SIGNATURE")
if signature and signature ~= "" then
  wrk.headers["X-SignalWire-Signature"] = signature
end
