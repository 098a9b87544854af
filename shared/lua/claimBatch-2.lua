--[[
  Moves up to ARGV[1] items from the head of pending to the tail of a consumer's processing list,
  without blocking. Runs right after the consumer's BLMOVE claimed the first item of a batch
  (blocking commands cannot run inside Lua).

  KEYS[1] pending     LIST  items waiting to be claimed
  KEYS[2] processing  LIST  the claiming consumer's items in flight

  ARGV[1] count       integer >= 0, how many items to move at most

  Returns: array of the moved items (raw strings), oldest first; empty when pending is empty.
  Side effects: LMOVE pending -> processing (LEFT RIGHT) for each item.
]]
local count = tonumber(ARGV[1])
local moved = {}
for _ = 1, count do
  local item = redis.call("LMOVE", KEYS[1], KEYS[2], "LEFT", "RIGHT")
  if not item then break end
  moved[#moved + 1] = item
end
return moved
