-- wrk script: POST /search with a different query every request, so no answer comes from the
-- answer cache: realistic questions about the sample docs index, each made unique by one extra
-- word that matches nothing (a request counter, distinct per wrk thread).
dofile(os.getenv("BENCH_DIR") .. "/basic_auth.lua")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

local questions = {
  "how do I enable TLS with a certificate", "rate limit per client", "basic auth password",
  "webhook signature validation", "reload an index without restart", "markdown chunking",
  "graceful shutdown drain delay", "allowed hosts wildcard", "cors origins credentials",
  "secure function token", "post prompt summary", "build an index from a folder",
  "health endpoint", "proxy url base", "request timeout", "max request size",
  "sip routing", "datamap tool", "contexts and steps", "json logs",
}

local counter = 0
local next_id = 0

function setup(thread)
  next_id = next_id + 1
  thread:set("id", next_id)
end

function init(args)
  counter = id * 100000000
end

function request()
  counter = counter + 1
  local question = questions[(counter % #questions) + 1]
  local body = string.format('{"query":"%s zq%d","count":3}', question, counter)
  return wrk.format(nil, nil, nil, body)
end
