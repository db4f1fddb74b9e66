-- trimFinished(prefix, setKey, keep, cutoff, scanAge): deletes the oldest finished jobs beyond `keep`, then, when `scanAge`,
-- those finished at or before `cutoff` (at most 100 per call, so a call stays short). The count may overshoot `keep` by
-- 1 % before a trim, so a busy queue trims in small batches rather than on every finish. Job hashes go in one DEL.
local function trimFinished(prefix, setKey, keep, cutoff, scanAge)
  local n = redis.call("ZCARD", setKey)
  if n > keep + math.floor(keep / 100) then
    local old = redis.call("ZRANGE", setKey, 0, n - keep - 1)
    for c = 1, #old, 1000 do
      local jobKeys = {}
      for i = c, math.min(c + 999, #old) do jobKeys[#jobKeys + 1] = prefix .. "job:" .. old[i] end
      redis.call("DEL", unpack(jobKeys))
    end
    redis.call("ZREMRANGEBYRANK", setKey, 0, n - keep - 1)
  end
  if not scanAge then return end
  local aged = redis.call("ZRANGEBYSCORE", setKey, "-inf", cutoff, "LIMIT", 0, 100)
  if #aged > 0 then
    local jobKeys = {}
    for i, id in ipairs(aged) do jobKeys[i] = prefix .. "job:" .. id end
    redis.call("DEL", unpack(jobKeys))
    redis.call("ZREM", setKey, unpack(aged))
  end
end
