-- wrk script: replay a list of prepared requests, count non-2xx, report JSON.
--
-- Environment (set by bench/run.py):
--   BENCH_REQUESTS  file of requests, one per line, tab-separated:
--                   METHOD, path, one header ("Name: value"), JSON body (may be empty)
--   BENCH_OUT       file that done() writes the run's figures to, as JSON
-- Each thread starts at a different line and cycles through the list, so the load is
-- spread over several users (tokens or sessions) and rows.

local threads = {}
local counter = 0

function setup(thread)
    counter = counter + 1
    thread:set("id", counter)
    table.insert(threads, thread)
end

local function split(line)
    local fields = {}
    for field in (line .. "\t"):gmatch("([^\t]*)\t") do
        table.insert(fields, field)
    end
    return fields
end

local requests = {}
local position = 1
non2xx = 0
statuses = {}

function init(args)
    local path = os.getenv("BENCH_REQUESTS")
    for line in io.lines(path) do
        if line ~= "" then
            local f = split(line)
            local headers = {}
            local name, value = f[3]:match("^([^:]+):%s*(.*)$")
            if name then
                headers[name] = value
            end
            local body = f[4]
            if body == "" then
                body = nil
            else
                headers["Content-Type"] = "application/json"
            end
            table.insert(requests, wrk.format(f[1], f[2], headers, body))
        end
    end
    if #requests == 0 then
        error("no requests in " .. tostring(path))
    end
    position = ((id or 1) - 1) * 7 % #requests + 1
end

function request()
    local r = requests[position]
    position = position % #requests + 1
    return r
end

function response(status, headers, body)
    if status < 200 or status > 299 then
        non2xx = non2xx + 1
        statuses[status] = (statuses[status] or 0) + 1
    end
end

function done(summary, latency, requests_)
    local bad = 0
    local seen = {}
    for _, thread in ipairs(threads) do
        bad = bad + thread:get("non2xx")
        for status, n in pairs(thread:get("statuses")) do
            seen[status] = (seen[status] or 0) + n
        end
    end
    local parts = {}
    for status, n in pairs(seen) do
        table.insert(parts, string.format('"%d": %d', status, n))
    end
    local seconds = summary.duration / 1e6
    local e = summary.errors
    local out = io.open(os.getenv("BENCH_OUT"), "w")
    out:write(string.format(
        '{"requests": %d, "seconds": %.3f, "rps": %.1f, "bytes": %d, ' ..
        '"non2xx": %d, "non2xx_statuses": {%s}, ' ..
        '"socket_errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d}, ' ..
        '"latency_ms": {"p50": %.2f, "p90": %.2f, "p95": %.2f, "p99": %.2f, ' ..
        '"max": %.2f, "mean": %.2f, "stdev": %.2f}}\n',
        summary.requests, seconds, summary.requests / seconds, summary.bytes,
        bad, table.concat(parts, ", "),
        e.connect, e.read, e.write, e.timeout,
        latency:percentile(50) / 1000, latency:percentile(90) / 1000,
        latency:percentile(95) / 1000, latency:percentile(99) / 1000,
        latency.max / 1000, latency.mean / 1000, latency.stdev / 1000))
    out:close()
end
