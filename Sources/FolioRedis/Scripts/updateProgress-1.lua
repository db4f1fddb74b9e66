--[[
  updateProgress-1: sets a running job's progress, if the lease is current.

  KEYS[1] events  stream

  ARGV[1] prefix, ARGV[2] job id, ARGV[3] lease token, ARGV[4] percent, ARGV[5] stage text, ARGV[6] maxEvents

  Returns: 1 when set, 0 when the lease is stale.
  Events:  progress.
]]
local eventsKey = KEYS[1]
local prefix, id, token, percent, stage, maxEvents = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
--@include emitEvent

local jk = prefix .. "job:" .. id
local f = redis.call("HMGET", jk, "s", "tk")
if f[1] ~= "active" or f[2] ~= token then return 0 end
redis.call("HSET", jk, "pc", percent, "ps", stage)
emitEvent(eventsKey, maxEvents, id, "progress")
return 1
