--[[
  extendLeases-1: renews a worker's leases in one call.

  KEYS[1] active   zset   job id by lease expiry

  ARGV[1] prefix, ARGV[2] new expiry (ms), ARGV[3..] pairs of job id and lease token

  Returns: one status per pair: 1 renewed, 2 renewed but cancellation requested, 0 lost (stale token, not active, removed).
  Events:  none.
]]
local activeKey = KEYS[1]
local prefix, expiry = ARGV[1], ARGV[2]
local out = {}
for i = 3, #ARGV, 2 do
  local id, token = ARGV[i], ARGV[i + 1]
  local f = redis.call("HMGET", prefix .. "job:" .. id, "s", "tk", "c")
  if f[1] == "active" and f[2] == token then
    redis.call("ZADD", activeKey, "XX", expiry, id)
    if f[3] == "1" then out[#out + 1] = 2 else out[#out + 1] = 1 end
  else
    out[#out + 1] = 0
  end
end
return out
