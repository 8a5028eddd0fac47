-- wrk script for bench_web.py: every POST carries a distinct report (a sample report from the
-- command line plus a per-connection counter), so no cache anywhere could answer it twice.
-- Counts every answer that is not 200 and prints one JSON line of results at the end.
--   wrk -s web_load.lua URL -- POST /api/triage "report one" "report two" ...
--   wrk -s web_load.lua URL -- GET /check/1

local threads = {}

function setup(thread)
  thread:set("thread_no", #threads + 1)
  table.insert(threads, thread)
end

local method, path, reports
local counter = 0
bad = 0

local function json_string(text)
  local escaped = text:gsub('[%c"\\]', function(c)
    return string.format("\\u%04x", c:byte())
  end)
  return '"' .. escaped .. '"'
end

function init(args)
  method, path = args[1], args[2]
  reports = {}
  for i = 3, #args do
    reports[#reports + 1] = args[i]
  end
end

function request()
  if method ~= "POST" then
    return wrk.format("GET", path)
  end
  counter = counter + 1
  local text = string.format("%s (%d-%d)", reports[(counter % #reports) + 1], thread_no, counter)
  local body = '{"text": ' .. json_string(text) .. "}"
  return wrk.format("POST", path, { ["Content-Type"] = "application/json" }, body)
end

function response(status, headers, body)
  if status ~= 200 then
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local not_ok = 0
  for _, thread in ipairs(threads) do
    not_ok = not_ok + thread:get("bad")
  end
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "not_200": %d, "socket_errors": %d, '
      .. '"p50_ms": %.2f, "p95_ms": %.2f, "max_ms": %.2f}\n',
    summary.requests, summary.duration / 1e6, not_ok,
    e.connect + e.read + e.write + e.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency.max / 1000
  ))
end
