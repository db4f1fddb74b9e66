-- emitEvent(eventsKey, maxEvents, id, kind): appends one event to the queue's capped stream.
local function emitEvent(eventsKey, maxEvents, id, kind)
  redis.call("XADD", eventsKey, "MAXLEN", "~", maxEvents, "*", "j", id, "e", kind)
end
