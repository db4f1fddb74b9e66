--[[
  setPaused-3: pauses or resumes a queue; resuming wakes its workers.

  KEYS[1] meta  hash    KEYS[2] marker  zset    KEYS[3] events  stream

  ARGV[1] "1" to pause, "0" to resume, ARGV[2] maxEvents

  Returns: 1.
  Events:  paused | resumed (with an empty job id).
]]
local metaKey, markerKey, eventsKey = KEYS[1], KEYS[2], KEYS[3]
--@include emitEvent

if ARGV[1] == "1" then
  redis.call("HSET", metaKey, "paused", "1")
  emitEvent(eventsKey, ARGV[2], "", "paused")
else
  redis.call("HDEL", metaKey, "paused")
  redis.call("ZADD", markerKey, 0, "m")
  emitEvent(eventsKey, ARGV[2], "", "resumed")
end
return 1
