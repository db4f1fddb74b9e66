--[[
  completeJob-4: marks a leased job completed, if the lease is still the job's current one, then applies retention.

  KEYS[1] active     zset   job id by lease expiry
  KEYS[2] completed  zset   job id by finish time
  KEYS[3] events     stream
  KEYS[4] meta       hash   retention settings

  ARGV[1] prefix, ARGV[2] job id, ARGV[3] lease token, ARGV[4] now, ARGV[5] result JSON ("" = none), ARGV[6] maxEvents

  Returns: 1 when completed, 0 when the lease is stale (nothing changed).
  Events:  completed.
]]
local activeKey, completedKey, eventsKey, metaKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local prefix, id, token, now, result, maxEvents = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), ARGV[5], ARGV[6]
--@include emitEvent
--@include retentionOf
--@include trimFinished
--@include countFinish

local jk = prefix .. "job:" .. id
local f = redis.call("HMGET", jk, "s", "tk", "roc")
if f[1] ~= "active" or f[2] ~= token then return 0 end
redis.call("ZREM", activeKey, id)
countFinish(prefix, "c", now)
emitEvent(eventsKey, maxEvents, id, "completed")
if f[3] == "1" then
  redis.call("DEL", jk)
  return 1
end
redis.call("HSET", jk, "s", "completed", "fi", now, "res", result, "pc", 100)
redis.call("ZADD", completedKey, now, id)
local keep, cutoff = retentionOf(metaKey, "completed", now)
trimFinished(prefix, completedKey, keep, cutoff)
return 1
