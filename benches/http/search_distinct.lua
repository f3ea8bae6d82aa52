-- wrk script: POST /search with a different query every request, so no answer comes from the
-- answer cache: realistic questions about the sample docs index, each made unique by one extra
-- word that matches nothing (a request counter, distinct per wrk thread).
--
-- The requests are built before the run (PER_THREAD of them per wrk thread, then reused in
-- turn): formatting each one as it is sent cost wrk enough CPU, on the two cores it shares with
-- the server, to lower the server's figure. A request comes back only after 2 x PER_THREAD - 1
-- others, far more than the answer cache holds (1,024 answers), so every answer is searched.
dofile(os.getenv("BENCH_DIR") .. "/basic_auth.lua")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

-- Realistic questions about the sample docs index, one a line (shared with the other scripts),
-- or the file BENCH_QUESTIONS names (large_index.sh: questions about the synthetic corpus).
local questions = {}
local file = os.getenv("BENCH_QUESTIONS")
if file == nil or file == "" then
  file = os.getenv("BENCH_DIR") .. "/questions.txt"
end
for line in io.lines(file) do
  questions[#questions + 1] = line
end

-- BENCH_MODE, when set, is sent as the request's search mode (hybrid, lexical, semantic).
local mode = os.getenv("BENCH_MODE")
local mode_field = ""
if mode ~= nil and mode ~= "" then
  mode_field = string.format(',"mode":"%s"', mode)
end

local PER_THREAD = 50000
local next_id = 0

function setup(thread)
  next_id = next_id + 1
  thread:set("id", next_id)
end

local requests = {}
local sent = 0

function init(args)
  for n = 1, PER_THREAD do
    local counter = id * 100000000 + n
    local question = questions[(counter % #questions) + 1]
    local body = string.format('{"query":"%s zq%d","count":3%s}', question, counter, mode_field)
    requests[n] = wrk.format(nil, nil, nil, body)
  end
end

function request()
  sent = sent + 1
  return requests[(sent - 1) % PER_THREAD + 1]
end
