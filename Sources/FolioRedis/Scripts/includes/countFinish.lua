-- countFinish(prefix, kind, now, n): counts `n` finished jobs ("c" completed, "f" failed) in their 10-second throughput
-- bucket, kept a little over an hour (the expiry is set once, by the call that creates the bucket). Returns the bucket's
-- new count.
local function countFinish(prefix, kind, now, n)
  local key = prefix .. "tp:" .. kind .. ":" .. math.floor(now / 10000)
  local total = redis.call("INCRBY", key, n)
  if total == n then redis.call("PEXPIRE", key, 3660000) end
  return total
end
