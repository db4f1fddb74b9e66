-- countFinish(prefix, kind, now): counts one finished job ("c" completed, "f" failed) in its 10-second throughput bucket,
-- kept a little over an hour.
local function countFinish(prefix, kind, now)
  local key = prefix .. "tp:" .. kind .. ":" .. math.floor(now / 10000)
  redis.call("INCR", key)
  redis.call("PEXPIRE", key, 3660000)
end
