--[[
  addJobs-4: stores a batch of new jobs atomically; each becomes waiting or delayed. Duplicates by idempotency key store
  nothing and return the first job's id.

  KEYS[1] wait     zset   job id scored by rank (ready time + priority x ageing)
  KEYS[2] delayed  zset   job id scored by run-at (ms)
  KEYS[3] marker   zset   one member "m": present when workers should look for work (BZPOPMIN target)
  KEYS[4] events   stream capped event log of the queue

  ARGV[1] prefix        string "folio:{queue}:" (job hashes are prefix.."job:"..id, idempotency keys prefix.."idem:"..key)
  ARGV[2] now           ms since 1970
  ARGV[3] maxEvents     approximate cap of the events stream
  ARGV[4] ageingMs      rank head start per priority step
  ARGV[5..] per job, 12 fields: id, kind, payload, tenant, priority, runAtMs, maxAttempts, retry, timeoutMs ("" = none),
            idempotencyKey ("" = none), idempotencyWindowMs, removeOnComplete ("1"/"0")

  Returns: one element per job, in order: "" when the job was stored under the id it was given, else the id of the
           existing job with the same idempotency key. (One element per job lets the client merge concurrent calls.)
  Events:  enqueued | delayed, per stored job (one stream entry per kind for the whole batch).
]]
local waitKey, delayedKey, markerKey, eventsKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local prefix = ARGV[1]
local now = tonumber(ARGV[2])
local maxEvents = ARGV[3]
local ageing = tonumber(ARGV[4])
--@include emitEvents

local out = {}
local ready = {}
local delayed = {}
local enqueuedIds, delayedIds = {}, {}
local stored = false
local position = 0
for i = 5, #ARGV, 12 do
  position = position + 1
  local id = ARGV[i]
  local idem = ARGV[i + 9]
  local existing = false
  if idem ~= "" then
    local ik = prefix .. "idem:" .. idem
    existing = redis.call("GET", ik)
    if not existing then redis.call("SET", ik, id, "PX", ARGV[i + 10]) end
  end
  if existing then
    out[position] = existing
  else
    out[position] = ""
    local priority = tonumber(ARGV[i + 4])
    local runAt = tonumber(ARGV[i + 5])
    if runAt < now then runAt = now end
    local state = "waiting"
    if runAt > now then state = "delayed" end
    local fields = { "k", ARGV[i + 1], "p", ARGV[i + 2], "pr", priority, "s", state, "m", ARGV[i + 6], "r", ARGV[i + 7],
      "eq", now, "ra", runAt }
    -- Empty optional fields are left out; readers default them (attempts and token start at 0).
    if ARGV[i + 3] ~= "" then fields[#fields + 1] = "t"; fields[#fields + 1] = ARGV[i + 3] end
    if ARGV[i + 8] ~= "" then fields[#fields + 1] = "to"; fields[#fields + 1] = ARGV[i + 8] end
    if idem ~= "" then fields[#fields + 1] = "ik"; fields[#fields + 1] = idem end
    if ARGV[i + 11] == "1" then fields[#fields + 1] = "roc"; fields[#fields + 1] = "1" end
    redis.call("HSET", prefix .. "job:" .. id, unpack(fields))
    if state == "delayed" then
      delayed[#delayed + 1] = runAt
      delayed[#delayed + 1] = id
      delayedIds[#delayedIds + 1] = id
    else
      ready[#ready + 1] = runAt + priority * ageing
      ready[#ready + 1] = id
      enqueuedIds[#enqueuedIds + 1] = id
    end
    stored = true
  end
end
-- One ZADD per set for the whole batch, in chunks that stay within Lua's argument limits.
for c = 1, #ready, 1000 do
  redis.call("ZADD", waitKey, unpack(ready, c, math.min(c + 999, #ready)))
end
for c = 1, #delayed, 1000 do
  redis.call("ZADD", delayedKey, unpack(delayed, c, math.min(c + 999, #delayed)))
end
emitEvents(eventsKey, maxEvents, enqueuedIds, "enqueued")
emitEvents(eventsKey, maxEvents, delayedIds, "delayed")
if stored then redis.call("ZADD", markerKey, 0, "m") end
return out
