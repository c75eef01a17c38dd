-- wrk script for benches/serve_load.sh: GET /api/search cycling through the bulk queries
-- (QUERIES, one per line, '#' lines ignored), URL-encoded; each thread starts at a different
-- query. Prints throughput, latency percentiles and errors as one block at the end.
local path = os.getenv("QUERIES") or "../shared/peers/bulk-queries.txt"
local queries = {}
for line in io.lines(path) do
  if line ~= "" and line:sub(1, 1) ~= "#" then
    queries[#queries + 1] = line
  end
end

local function encode(s)
  return (s:gsub("[^%w%-%._~]", function(c)
    return string.format("%%%02X", string.byte(c))
  end))
end

local paths = {}
for i, q in ipairs(queries) do
  paths[i] = "/api/search?q=" .. encode(q) .. "&limit=10"
end

local thread_no = 0
function setup(thread)
  thread_no = thread_no + 1
  thread:set("start", thread_no * 17)
end

local i = nil
function request()
  if i == nil then
    i = (start or 0) % #paths
  end
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end

function done(summary, latency, requests)
  local e = summary.errors
  local secs = summary.duration / 1e6
  io.write(string.format("queries: %d distinct\n", #paths))
  io.write(string.format("requests: %d in %.1f s = %.0f req/s\n", summary.requests, secs, summary.requests / secs))
  io.write(string.format("latency ms: p50 %.2f  p90 %.2f  p99 %.2f  max %.2f\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("errors: connect %d  read %d  write %d  status %d  timeout %d\n",
    e.connect, e.read, e.write, e.status, e.timeout))
end
