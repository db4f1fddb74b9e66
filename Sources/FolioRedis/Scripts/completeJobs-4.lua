--[[
  completeJobs-4: marks leased jobs completed, each only if its lease is still the job's current one, then applies
  retention. The driver sends completions that arrive together as one call.

  KEYS[1] active     zset   job id by lease expiry
  KEYS[2] completed  zset   job id by finish time
  KEYS[3] events     stream
  KEYS[4] meta       hash   retention settings; "cp" = "0" drops a completed job's payload ("p" set to "")

  ARGV[1] prefix, ARGV[2] now, ARGV[3] maxEvents
  ARGV[4..] per job, 3 fields: id, lease token, result JSON ("" = none)

  Returns: one integer per job, in order: 1 when completed, 0 when the lease is stale (nothing changed for that job).
  Events:  completed (one stream entry for the call).
  Cost:    2 commands per job plus about 8 per call, and one DEL per retention trim.
]]
local activeKey, completedKey, eventsKey, metaKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local prefix, now, maxEvents = ARGV[1], tonumber(ARGV[2]), ARGV[3]
--@include emitEvents
--@include retentionOf
--@include trimFinished
--@include countFinish

local out = {}
local done, finished = {}, {}
local dropPayload = redis.call("HGET", metaKey, "cp") == "0"
for i = 4, #ARGV, 3 do
  local id, token, result = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  local jk = prefix .. "job:" .. id
  local f = redis.call("HMGET", jk, "s", "tk", "roc")
  if f[1] ~= "active" or f[2] ~= token then
    out[#out + 1] = 0
  else
    if f[3] == "1" then
      redis.call("DEL", jk)
    else
      if dropPayload then
        redis.call("HSET", jk, "s", "completed", "fi", ARGV[2], "res", result, "pc", 100, "p", "")
      else
        redis.call("HSET", jk, "s", "completed", "fi", ARGV[2], "res", result, "pc", 100)
      end
      finished[#finished + 1] = now
      finished[#finished + 1] = id
    end
    done[#done + 1] = id
    out[#out + 1] = 1
  end
end
if #done == 0 then return out end
for c = 1, #done, 1000 do
  redis.call("ZREM", activeKey, unpack(done, c, math.min(c + 999, #done)))
end
local total = countFinish(prefix, "c", now, #done)
emitEvents(eventsKey, maxEvents, done, "completed")
if #finished > 0 then
  for c = 1, #finished, 1000 do
    redis.call("ZADD", completedKey, unpack(finished, c, math.min(c + 999, #finished)))
  end
  local keep, cutoff = retentionOf(metaKey, "completed", now)
  -- Retention by age is checked by the first completions of each 10-second bucket and then every 64th, not on every call:
  -- age limits are hours or days, and the scan is one more command per call.
  local scanAge = total == #done or math.floor(total / 64) ~= math.floor((total - #done) / 64)
  trimFinished(prefix, completedKey, keep, cutoff, scanAge)
end
return out
