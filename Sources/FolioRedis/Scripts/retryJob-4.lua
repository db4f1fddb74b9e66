--[[
  retryJob-4: moves a failed job back to waiting with fresh attempts; its error history stays.

  KEYS[1] failed  zset    KEYS[2] wait  zset    KEYS[3] marker  zset    KEYS[4] events  stream

  ARGV[1] prefix, ARGV[2] job id, ARGV[3] now, ARGV[4] maxEvents, ARGV[5] ageingMs

  Returns: 1 when moved, 0 when the job is missing or not failed.
  Events:  enqueued.
]]
local failedKey, waitKey, markerKey, eventsKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local prefix, id, now, maxEvents, ageing = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4], tonumber(ARGV[5])
--@include emitEvent

local jk = prefix .. "job:" .. id
local f = redis.call("HMGET", jk, "s", "pr")
if f[1] ~= "failed" then return 0 end
redis.call("ZREM", failedKey, id)
redis.call("HSET", jk, "s", "waiting", "a", 0, "c", 0, "fi", "", "ra", now)
redis.call("ZADD", waitKey, now + tonumber(f[2]) * ageing, id)
redis.call("ZADD", markerKey, 0, "m")
emitEvent(eventsKey, maxEvents, id, "enqueued")
return 1
