-- countFinish(prefix, kind, now, n): counts `n` finished jobs ("c" completed, "f" failed) in their 10-second throughput
-- bucket, kept a little over an hour (the expiry is set once, by the call that creates the bucket).
local function countFinish(prefix, kind, now, n)
  local key = prefix .. "tp:" .. kind .. ":" .. math.floor(now / 10000)
  if redis.call("INCRBY", key, n) == n then redis.call("PEXPIRE", key, 3660000) end
end
