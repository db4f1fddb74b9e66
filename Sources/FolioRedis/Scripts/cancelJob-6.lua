--[[
  cancelJob-6: a waiting or delayed job becomes failed with code "cancelled"; an active one is flagged so its worker stops
  it (the flag also stops retries).

  KEYS[1] wait  zset    KEYS[2] delayed  zset    KEYS[3] failed  zset    KEYS[4] events  stream    KEYS[5] meta  hash
  KEYS[6] cancels  stream  capped (~1000) stream of cancellation requests for active jobs, which workers follow

  ARGV[1] prefix, ARGV[2] job id, ARGV[3] now, ARGV[4] maxEvents

  Returns: 1 when cancelled or flagged, 0 when the job is missing or already finished.
  Events:  failed | cancel_requested (also on the cancels stream).
]]
local waitKey, delayedKey, failedKey, eventsKey, metaKey, cancelsKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local prefix, id, now, maxEvents = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4]
--@include emitEvent
--@include appendError
--@include retentionOf
--@include trimFinished
--@include countFinish

local jk = prefix .. "job:" .. id
local f = redis.call("HMGET", jk, "s", "a")
if f[1] == "waiting" or f[1] == "delayed" then
  redis.call("ZREM", waitKey, id)
  redis.call("ZREM", delayedKey, id)
  appendError(jk, cjson.encode({ attempt = tonumber(f[2] or "0"), code = "cancelled", message = "cancelled before it ran",
    atMs = now, permanent = true }))
  redis.call("HSET", jk, "s", "failed", "fi", now)
  redis.call("ZADD", failedKey, now, id)
  countFinish(prefix, "f", now)
  emitEvent(eventsKey, maxEvents, id, "failed")
  local keep, cutoff = retentionOf(metaKey, "failed", now)
  trimFinished(prefix, failedKey, keep, cutoff)
  return 1
elseif f[1] == "active" then
  redis.call("HSET", jk, "c", 1)
  emitEvent(eventsKey, maxEvents, id, "cancel_requested")
  emitEvent(cancelsKey, 1000, id, "cancel_requested")
  return 1
end
return 0
