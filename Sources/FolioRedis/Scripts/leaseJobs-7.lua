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
  Events:  enqueued (promoted), retrying | failed (lease expired), active (leased); one stream entry per kind and call.
  Cost:    on the common path (nothing due, nothing expired) 6 commands per call plus 2 per leased job.
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
--@include emitEvents
--@include appendError
--@include retentionOf
--@include trimFinished
--@include countFinish

-- The earliest score of a sorted set, or -1 when it is empty.
local function head(key)
  local h = redis.call("ZRANGE", key, 0, 0, "WITHSCORES")
  if h[2] then return tonumber(h[2]) end
  return -1
end

local delayedHead = head(delayedKey)
if delayedHead >= 0 and delayedHead <= now then
  local due = redis.call("ZRANGEBYSCORE", delayedKey, "-inf", now, "LIMIT", 0, 1000)
  local promoted = {}
  for _, id in ipairs(due) do
    local jk = prefix .. "job:" .. id
    local f = redis.call("HMGET", jk, "pr", "ra", "s")
    if f[1] and f[3] == "delayed" then
      redis.call("ZADD", waitKey, tonumber(f[2]) + tonumber(f[1]) * ageing, id)
      redis.call("HSET", jk, "s", "waiting")
      promoted[#promoted + 1] = id
    end
  end
  redis.call("ZREM", delayedKey, unpack(due))
  emitEvents(eventsKey, maxEvents, promoted, "enqueued")
  delayedHead = head(delayedKey)
end

local activeHead = head(activeKey)
if activeHead >= 0 and activeHead <= now then
  local expired = redis.call("ZRANGEBYSCORE", activeKey, "-inf", now, "LIMIT", 0, 1000)
  redis.call("ZREM", activeKey, unpack(expired))
  local failed, retrying = {}, {}
  for _, id in ipairs(expired) do
    local jk = prefix .. "job:" .. id
    local f = redis.call("HMGET", jk, "a", "m", "c", "w", "pr", "s")
    if f[1] and f[6] == "active" then
      appendError(jk, cjson.encode({ attempt = tonumber(f[1]), code = "lease_expired",
        message = "the worker " .. (f[4] or "?") .. " stopped renewing its lease", atMs = now, permanent = false }))
      if tonumber(f[1]) >= tonumber(f[2]) or f[3] == "1" then
        redis.call("HSET", jk, "s", "failed", "fi", now)
        redis.call("ZADD", failedKey, now, id)
        failed[#failed + 1] = id
      else
        redis.call("HSET", jk, "s", "waiting")
        redis.call("ZADD", waitKey, now + tonumber(f[5]) * ageing, id)
        retrying[#retrying + 1] = id
      end
    end
  end
  emitEvents(eventsKey, maxEvents, failed, "failed")
  emitEvents(eventsKey, maxEvents, retrying, "retrying")
  if #failed > 0 then
    countFinish(prefix, "f", now, #failed)
    local keep, cutoff = retentionOf(metaKey, "failed", now)
    trimFinished(prefix, failedKey, keep, cutoff, true)
  end
  activeHead = head(activeKey)
end

local function earliest(a, b)
  if a < 0 or (b >= 0 and b < a) then return b end
  return a
end

if redis.call("HGET", metaKey, "paused") == "1" then return { "P", earliest(delayedHead, activeHead) } end

local n = count
local rateKey
if rateMax > 0 then
  local window = math.floor(now / rateWindow)
  rateKey = prefix .. "rate:" .. window
  local allowed = rateMax - tonumber(redis.call("GET", rateKey) or "0")
  if allowed <= 0 then return { "R", (window + 1) * rateWindow } end
  if allowed < n then n = allowed end
end

-- Each leased job is read once (HGETALL) and written once; the reply carries its fields as written.
local out = { "J", 0 }
local leasedIds, activeArgs = {}, {}
local expiry = now + leaseMs
local popped = redis.call("ZPOPMIN", waitKey, n)
for i = 1, #popped, 2 do
  local id = popped[i]
  local jk = prefix .. "job:" .. id
  local fields = redis.call("HGETALL", jk)
  local state, token, attempts = nil, 0, 0
  for j = 1, #fields, 2 do
    local name = fields[j]
    if name == "s" then state = fields[j + 1]
    elseif name == "tk" then token = tonumber(fields[j + 1])
    elseif name == "a" then attempts = tonumber(fields[j + 1]) end
  end
  if state == "waiting" then
    local set = { s = "active", st = ARGV[2], w = worker, tk = tostring(token + 1), a = tostring(attempts + 1) }
    redis.call("HSET", jk, "s", set.s, "st", set.st, "w", set.w, "tk", set.tk, "a", set.a)
    for j = 1, #fields, 2 do
      local v = set[fields[j]]
      if v then fields[j + 1] = v; set[fields[j]] = false end
    end
    for _, name in ipairs({ "s", "st", "w", "tk", "a" }) do
      if set[name] then fields[#fields + 1] = name; fields[#fields + 1] = set[name] end
    end
    leasedIds[#leasedIds + 1] = id
    activeArgs[#activeArgs + 1] = expiry
    activeArgs[#activeArgs + 1] = id
    out[#out + 1] = id
    out[#out + 1] = fields
  end
end
local leased = #leasedIds
if leased > 0 then
  for c = 1, #activeArgs, 1000 do
    redis.call("ZADD", activeKey, unpack(activeArgs, c, math.min(c + 999, #activeArgs)))
  end
  emitEvents(eventsKey, maxEvents, leasedIds, "active")
  activeHead = earliest(activeHead, expiry)
end
if rateKey and leased > 0 then
  if redis.call("INCRBY", rateKey, leased) == leased then redis.call("PEXPIRE", rateKey, rateWindow * 2) end
end
-- A full pop may have left work for other workers.
if #popped == 2 * n and redis.call("ZCARD", waitKey) > 0 then redis.call("ZADD", markerKey, 0, "m") end
out[2] = earliest(delayedHead, activeHead)
return out
