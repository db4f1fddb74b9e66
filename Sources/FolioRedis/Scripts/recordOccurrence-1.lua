--[[
  recordOccurrence-1: remembers the latest occurrence a scheduler fired, keeping the largest when several record.

  KEYS[1] schedules  hash  schedule name -> last fired occurrence (ms)

  ARGV[1] schedule name, ARGV[2] occurrence (ms)

  Returns: 1 when stored, 0 when an equal or later occurrence was already recorded.
  Events:  none.
]]
local last = tonumber(redis.call("HGET", KEYS[1], ARGV[1]) or "0")
if tonumber(ARGV[2]) <= last then return 0 end
redis.call("HSET", KEYS[1], ARGV[1], ARGV[2])
return 1
