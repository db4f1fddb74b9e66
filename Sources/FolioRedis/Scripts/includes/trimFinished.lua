-- trimFinished(prefix, setKey, keep, cutoff): deletes the oldest finished jobs beyond `keep`, then those finished at or
-- before `cutoff` (at most 100 per call, so a call stays short).
local function trimFinished(prefix, setKey, keep, cutoff)
  local n = redis.call("ZCARD", setKey)
  if n > keep then
    local old = redis.call("ZRANGE", setKey, 0, n - keep - 1)
    for _, id in ipairs(old) do redis.call("DEL", prefix .. "job:" .. id) end
    redis.call("ZREMRANGEBYRANK", setKey, 0, n - keep - 1)
  end
  local aged = redis.call("ZRANGEBYSCORE", setKey, "-inf", cutoff, "LIMIT", 0, 100)
  for _, id in ipairs(aged) do
    redis.call("DEL", prefix .. "job:" .. id)
    redis.call("ZREM", setKey, id)
  end
end
