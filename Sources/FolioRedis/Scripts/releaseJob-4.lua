--[[
  releaseJob-4: hands a leased job back to waiting without counting the attempt (graceful shutdown).

  KEYS[1] active  zset    KEYS[2] wait  zset    KEYS[3] marker  zset    KEYS[4] events  stream

  ARGV[1] prefix, ARGV[2] job id, ARGV[3] lease token, ARGV[4] now, ARGV[5] maxEvents, ARGV[6] ageingMs

  Returns: 1 when released, 0 when the lease is stale.
  Events:  released.
]]
local activeKey, waitKey, markerKey, eventsKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local prefix, id, token, now, maxEvents, ageing = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), ARGV[5], tonumber(ARGV[6])
--@include emitEvent

local jk = prefix .. "job:" .. id
local f = redis.call("HMGET", jk, "s", "tk", "pr")
if f[1] ~= "active" or f[2] ~= token then return 0 end
redis.call("ZREM", activeKey, id)
redis.call("HINCRBY", jk, "a", -1)
redis.call("HSET", jk, "s", "waiting")
redis.call("ZADD", waitKey, now + tonumber(f[3]) * ageing, id)
redis.call("ZADD", markerKey, 0, "m")
emitEvent(eventsKey, maxEvents, id, "released")
return 1
