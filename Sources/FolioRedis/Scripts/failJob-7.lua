--[[
  failJob-7: records a failed attempt of a leased job (if the lease is current): schedules the retry, or moves the job to
  failed when no retry is given or its cancellation was requested.

  KEYS[1] active   zset    KEYS[2] wait     zset    KEYS[3] delayed  zset    KEYS[4] failed  zset
  KEYS[5] marker   zset    KEYS[6] events   stream  KEYS[7] meta     hash

  ARGV[1] prefix, ARGV[2] job id, ARGV[3] lease token, ARGV[4] now, ARGV[5] error JSON (one AttemptError),
  ARGV[6] retryAtMs (-1 = no retry), ARGV[7] maxEvents, ARGV[8] ageingMs

  Returns: 1 when recorded, 0 when the lease is stale.
  Events:  retrying | failed.
]]
local activeKey, waitKey, delayedKey, failedKey, markerKey, eventsKey, metaKey =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7]
local prefix, id, token, now = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
local errorJSON, retryAt, maxEvents, ageing = ARGV[5], tonumber(ARGV[6]), ARGV[7], tonumber(ARGV[8])
--@include emitEvent
--@include appendError
--@include retentionOf
--@include trimFinished
--@include countFinish

local jk = prefix .. "job:" .. id
local f = redis.call("HMGET", jk, "s", "tk", "c", "pr")
if f[1] ~= "active" or f[2] ~= token then return 0 end
redis.call("ZREM", activeKey, id)
appendError(jk, errorJSON)
if retryAt >= 0 and f[3] ~= "1" then
  redis.call("HSET", jk, "ra", retryAt)
  if retryAt > now then
    redis.call("HSET", jk, "s", "delayed")
    redis.call("ZADD", delayedKey, retryAt, id)
  else
    redis.call("HSET", jk, "s", "waiting")
    redis.call("ZADD", waitKey, now + tonumber(f[4]) * ageing, id)
  end
  redis.call("ZADD", markerKey, 0, "m")
  emitEvent(eventsKey, maxEvents, id, "retrying")
else
  redis.call("HSET", jk, "s", "failed", "fi", now)
  redis.call("ZADD", failedKey, now, id)
  countFinish(prefix, "f", now)
  emitEvent(eventsKey, maxEvents, id, "failed")
  local keep, cutoff = retentionOf(metaKey, "failed", now)
  trimFinished(prefix, failedKey, keep, cutoff)
end
return 1
