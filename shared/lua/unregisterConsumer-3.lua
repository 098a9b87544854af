--[[
  Last step of a graceful stop: drop the heartbeat and, when the processing list is empty, the
  consumer's registration. If items are still held (returning them failed), the registration
  stays so the reaper recovers them once it sees the heartbeat gone.

  KEYS[1] heartbeat   STRING  the consumer's heartbeat
  KEYS[2] processing  LIST    the consumer's items in flight
  KEYS[3] consumers   SET     consumer ids that may hold items

  ARGV[1] consumer    the consumer's id

  Returns: 1 unregistered, 0 items remain (left to the reaper).
  Side effects: DEL heartbeat; SREM consumers when processing is empty.
]]
redis.call("DEL", KEYS[1])
if redis.call("LLEN", KEYS[2]) > 0 then return 0 end
redis.call("SREM", KEYS[3], ARGV[1])
return 1
