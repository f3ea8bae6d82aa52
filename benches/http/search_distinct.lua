-- wrk script: POST /search with a different query on every request, so the answer cache never
-- answers and every request is a real search: BENCH_QUERY with a word appended that no document
-- holds (`q<thread><counter>`), which adds no result and no typo retry.
dofile(os.getenv("BENCH_DIR") .. "/basic_auth.lua")

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end

local query = os.getenv("BENCH_QUERY")
local counter = 0
function request()
  counter = counter + 1
  local body = string.format('{"query":"%s q%dx%d","count":3}', query, id, counter)
  return wrk.format("POST", nil, { ["Content-Type"] = "application/json" }, body)
end
