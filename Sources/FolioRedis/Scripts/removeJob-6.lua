--[[
  removeJob-6: deletes a job whatever its state.

  KEYS[1] wait  zset    KEYS[2] delayed  zset    KEYS[3] active  zset    KEYS[4] completed  zset    KEYS[5] failed  zset
  KEYS[6] events  stream

  ARGV[1] prefix, ARGV[2] job id, ARGV[3] maxEvents

  Returns: 1 when deleted, 0 when it did not exist.
  Events:  removed.
]]
local prefix, id, maxEvents = ARGV[1], ARGV[2], ARGV[3]
--@include emitEvent

if redis.call("DEL", prefix .. "job:" .. id) == 0 then return 0 end
for i = 1, 5 do redis.call("ZREM", KEYS[i], id) end
emitEvent(KEYS[6], maxEvents, id, "removed")
return 1
