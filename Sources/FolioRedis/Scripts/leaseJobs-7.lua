--[[
  leaseJobs-7: promotes due delayed jobs, reclaims expired leases, then leases up to `count` waiting jobs in rank order,
  within the queue's rate limit.

  KEYS[1] wait     zset   job id by rank
  KEYS[2] delayed  zset   job id by run-at
  KEYS[3] active   zset   job id by lease expiry (ms)
  KEYS[4] failed   zset   job id by finish time
  KEYS[5] marker   zset   wake-up marker; re-added when work remains for other workers
  KEYS[6] events   stream
  KEYS[7] meta     hash   queue settings: paused ("1"), retention (cc, ca, fc, fa)

  ARGV[1] prefix, ARGV[2] now, ARGV[3] count, ARGV[4] leaseMs, ARGV[5] worker id,
  ARGV[6] rateMax (0 = no limit), ARGV[7] rateWindowMs, ARGV[8] maxEvents, ARGV[9] ageingMs

  Rate limit: counter prefix.."rate:"..floor(now / window), shared by every process; counts leases.
  Returns: { status, nextDueMs (-1 = none), id1, fields1, id2, fields2, ... } where status is "J" (jobs, maybe none),
           "P" (paused) or "R" (rate limited; nextDueMs is the end of the window) and fields are HGETALL pairs.
  Events:  enqueued (promoted), retrying | failed (lease expired), active (leased).
]]
local waitKey, delayedKey, activeKey, failedKey, markerKey, eventsKey, metaKey =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7]
local prefix = ARGV[1]
local now = tonumber(ARGV[2])
local count = tonumber(ARGV[3])
local leaseMs = tonumber(ARGV[4])
local worker = ARGV[5]
local rateMax = tonumber(ARGV[6])
local rateWindow = tonumber(ARGV[7])
local maxEvents = ARGV[8]
local ageing = tonumber(ARGV[9])
--@include emitEvent
--@include appendError
--@include retentionOf
--@include trimFinished
--@include countFinish

local due = redis.call("ZRANGEBYSCORE", delayedKey, "-inf", now, "LIMIT", 0, 1000)
for _, id in ipairs(due) do
  local jk = prefix .. "job:" .. id
  local f = redis.call("HMGET", jk, "pr", "ra", "s")
  if f[1] and f[3] == "delayed" then
    redis.call("ZADD", waitKey, tonumber(f[2]) + tonumber(f[1]) * ageing, id)
    redis.call("HSET", jk, "s", "waiting")
    emitEvent(eventsKey, maxEvents, id, "enqueued")
  end
  redis.call("ZREM", delayedKey, id)
end

local expired = redis.call("ZRANGEBYSCORE", activeKey, "-inf", now, "LIMIT", 0, 1000)
local failedAny = false
for _, id in ipairs(expired) do
  redis.call("ZREM", activeKey, id)
  local jk = prefix .. "job:" .. id
  local f = redis.call("HMGET", jk, "a", "m", "c", "w", "pr", "s")
  if f[1] and f[6] == "active" then
    appendError(jk, cjson.encode({ attempt = tonumber(f[1]), code = "lease_expired",
      message = "the worker " .. (f[4] or "?") .. " stopped renewing its lease", atMs = now, permanent = false }))
    if tonumber(f[1]) >= tonumber(f[2]) or f[3] == "1" then
      redis.call("HSET", jk, "s", "failed", "fi", now)
      redis.call("ZADD", failedKey, now, id)
      countFinish(prefix, "f", now)
      emitEvent(eventsKey, maxEvents, id, "failed")
      failedAny = true
    else
      redis.call("HSET", jk, "s", "waiting")
      redis.call("ZADD", waitKey, now + tonumber(f[5]) * ageing, id)
      emitEvent(eventsKey, maxEvents, id, "retrying")
    end
  end
end
if failedAny then
  local keep, cutoff = retentionOf(metaKey, "failed", now)
  trimFinished(prefix, failedKey, keep, cutoff)
end

local function nextDue()
  local d = redis.call("ZRANGE", delayedKey, 0, 0, "WITHSCORES")
  local a = redis.call("ZRANGE", activeKey, 0, 0, "WITHSCORES")
  local best = -1
  if d[2] then best = tonumber(d[2]) end
  if a[2] and (best < 0 or tonumber(a[2]) < best) then best = tonumber(a[2]) end
  return best
end

if redis.call("HGET", metaKey, "paused") == "1" then return { "P", nextDue() } end

local n = count
local rateKey
if rateMax > 0 then
  local window = math.floor(now / rateWindow)
  rateKey = prefix .. "rate:" .. window
  local allowed = rateMax - tonumber(redis.call("GET", rateKey) or "0")
  if allowed <= 0 then return { "R", (window + 1) * rateWindow } end
  if allowed < n then n = allowed end
end

local out = { "J", 0 }
local leased = 0
local popped = redis.call("ZPOPMIN", waitKey, n)
for i = 1, #popped, 2 do
  local id = popped[i]
  local jk = prefix .. "job:" .. id
  if redis.call("HGET", jk, "s") == "waiting" then
    redis.call("HINCRBY", jk, "tk", 1)
    redis.call("HINCRBY", jk, "a", 1)
    redis.call("HSET", jk, "s", "active", "st", now, "w", worker)
    redis.call("ZADD", activeKey, now + leaseMs, id)
    emitEvent(eventsKey, maxEvents, id, "active")
    out[#out + 1] = id
    out[#out + 1] = redis.call("HGETALL", jk)
    leased = leased + 1
  end
end
if rateKey and leased > 0 then
  redis.call("INCRBY", rateKey, leased)
  redis.call("PEXPIRE", rateKey, rateWindow * 2)
end
if redis.call("ZCARD", waitKey) > 0 then redis.call("ZADD", markerKey, 0, "m") end
out[2] = nextDue()
return out
