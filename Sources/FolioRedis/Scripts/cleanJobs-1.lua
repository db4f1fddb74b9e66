--[[
  cleanJobs-1: deletes finished jobs finished at or before a cutoff, always keeping the newest `keep`.

  KEYS[1] set  zset  the completed or failed set (job id by finish time)

  ARGV[1] prefix, ARGV[2] cutoff (ms), ARGV[3] keep, ARGV[4] limit (most deleted per call)

  Returns: how many jobs were deleted.
  Events:  none (cleaning is bookkeeping, not a state change).
]]
local setKey = KEYS[1]
local prefix, cutoff, keep, limit = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local n = redis.call("ZCARD", setKey)
local room = n - keep
if room <= 0 then return 0 end
if limit < room then room = limit end
local ids = redis.call("ZRANGEBYSCORE", setKey, "-inf", cutoff, "LIMIT", 0, room)
for _, id in ipairs(ids) do
  redis.call("DEL", prefix .. "job:" .. id)
  redis.call("ZREM", setKey, id)
end
return #ids
