-- wrk script: POST a render request (body from $FOLIO_BENCH_BODY) at a fixed total rate ($FOLIO_BENCH_RATE requests/s),
-- open loop: each wrk thread sends on a fixed schedule of rate/threads requests per second, on whichever of its
-- connections is free, instead of as fast as responses come back. Latency is then the latency at that offered load, not
-- the queueing delay of a saturated server. "lag_ms" is how far sends fell behind the schedule at worst (all connections
-- busy): near 0 means the rate was really offered; large means the server could not keep up.
dofile("benchmarks/request-body.lua") -- run from the repository root, as benchmarks/http.sh does

local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } folio_timespec;
int clock_gettime(int clock, folio_timespec *tp);
]]
local ts = ffi.new("folio_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local threads = {}
function setup(thread)
  table.insert(threads, thread)
end

local rate, interval, next_at
max_lag = 0
function init(args)
  rate = tonumber(os.getenv("FOLIO_BENCH_RATE")) / tonumber(os.getenv("FOLIO_BENCH_THREADS"))
  interval = 1000 / rate
end

-- Milliseconds until this request's slot (wrk rounds down to whole milliseconds).
function delay()
  local now = now_ms()
  if next_at == nil then next_at = now + math.random() * interval end
  local slot = next_at
  next_at = next_at + interval
  if slot < now then
    if now - slot > max_lag then max_lag = now - slot end
    return 0
  end
  return slot - now
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local lag = 0
  for _, t in ipairs(threads) do
    local l = t:get("max_lag")
    if l > lag then lag = l end
  end
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "rps": %.1f, "p50_ms": %.3f, "p99_ms": %.3f, "max_ms": %.3f, ' ..
    '"non_2xx": %d, "connect_errors": %d, "read_errors": %d, "write_errors": %d, "timeouts": %d, ' ..
    '"target_rps": %s, "lag_ms": %.3f}\n',
    summary.requests, seconds, summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, summary.errors.status, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.timeout, os.getenv("FOLIO_BENCH_RATE"), lag))
end
