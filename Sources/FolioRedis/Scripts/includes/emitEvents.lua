-- emitEvents(eventsKey, maxEvents, ids, kind): appends the same state change of several jobs to the queue's capped stream
-- as one entry ("j" once per job id, then "e" kind), at most 1000 ids an entry; nothing when `ids` is empty.
local function emitEvents(eventsKey, maxEvents, ids, kind)
  for c = 1, #ids, 1000 do
    local args = { "XADD", eventsKey, "MAXLEN", "~", maxEvents, "*" }
    for i = c, math.min(c + 999, #ids) do
      args[#args + 1] = "j"
      args[#args + 1] = ids[i]
    end
    args[#args + 1] = "e"
    args[#args + 1] = kind
    redis.call(unpack(args))
  end
end
