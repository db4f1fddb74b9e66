-- appendError(jobKey, errorJSON): appends one attempt error to the job's JSON array field "e".
local function appendError(jobKey, errorJSON)
  local errors = redis.call("HGET", jobKey, "e")
  if not errors or errors == "" or errors == "[]" then
    errors = "[" .. errorJSON .. "]"
  else
    errors = string.sub(errors, 1, -2) .. "," .. errorJSON .. "]"
  end
  redis.call("HSET", jobKey, "e", errors)
end
