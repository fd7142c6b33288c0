-- wrk script of scripts/bench/load.py: rotates through (session cookie, path)
-- pairs read from a file, so that every connection requests every page of the
-- group as every role of the group, in turn.
--
--   wrk -c 50 -t 2 -d 20s -s scripts/bench/load.lua http://127.0.0.1:PORT -- PAIRS_FILE
--
-- PAIRS_FILE: one "cookie<TAB>path" a line. A response that is not 2xx counts
-- as an error (wrk itself counts only 4xx/5xx, and a lost session is a 302 to
-- the login page). done() prints one line of JSON for load.py to read.

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  pairs_ = {}
  for line in io.lines(args[1]) do
    local cookie, path = line:match("^([^\t]*)\t(.+)$")
    if path then
      table.insert(pairs_, {cookie = cookie, path = path})
    end
  end
  -- Threads start at different places so that they do not request in lockstep.
  index = (id * 7) % #pairs_
  non2xx = 0
  statuses = {}
end

function request()
  index = index % #pairs_ + 1
  local p = pairs_[index]
  return wrk.format("GET", p.path, {["Cookie"] = p.cookie})
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    statuses[status] = (statuses[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  local bad = 0
  local by_status = {}
  for _, t in ipairs(threads) do
    bad = bad + t:get("non2xx")
    for k, v in pairs(t:get("statuses")) do
      by_status[k] = (by_status[k] or 0) + v
    end
  end
  local parts = {}
  for k, v in pairs(by_status) do
    table.insert(parts, string.format('"%d": %d', k, v))
  end
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "bytes": %d, '
      .. '"p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f, '
      .. '"non2xx": %d, "by_status": {%s}, "connect_errors": %d, "read_errors": %d, '
      .. '"write_errors": %d, "timeouts": %d}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max, latency.mean, bad, table.concat(parts, ", "),
    e.connect, e.read, e.write, e.timeout))
end
