--[[
  recordHeartbeat-2: records that a worker process is alive and forgets the ones whose beat expired.

  KEYS[1] workers  hash  worker id -> heartbeat JSON
  KEYS[2] expiry   zset  worker id by expiry (ms)

  ARGV[1] worker id, ARGV[2] heartbeat JSON, ARGV[3] expiry (ms), ARGV[4] now (ms)

  Returns: 1.
  Events:  none.
]]
redis.call("HSET", KEYS[1], ARGV[1], ARGV[2])
redis.call("ZADD", KEYS[2], ARGV[3], ARGV[1])
local gone = redis.call("ZRANGEBYSCORE", KEYS[2], "-inf", ARGV[4], "LIMIT", 0, 100)
for _, id in ipairs(gone) do
  redis.call("HDEL", KEYS[1], id)
  redis.call("ZREM", KEYS[2], id)
end
return 1
