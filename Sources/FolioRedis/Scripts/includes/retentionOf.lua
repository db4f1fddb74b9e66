-- retentionOf(metaKey, state, now): the keep-count and age cutoff for "completed" or "failed", from the queue's meta hash
-- (fields cc/ca for completed, fc/fa for failed), with defaults 1000 / 1 day and 5000 / 7 days.
local function retentionOf(metaKey, state, now)
  if state == "completed" then
    local v = redis.call("HMGET", metaKey, "cc", "ca")
    return tonumber(v[1] or "1000"), now - tonumber(v[2] or "86400000")
  end
  local v = redis.call("HMGET", metaKey, "fc", "fa")
  return tonumber(v[1] or "5000"), now - tonumber(v[2] or "604800000")
end
