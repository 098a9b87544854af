--[[
  Returns items a live consumer will not finish to the HEAD of pending, unchanged (same attempt:
  the item did not fail). Used by a graceful stop and by re-adoption after a reconnect.

  KEYS[1] processing  LIST  the consumer's items in flight
  KEYS[2] pending     LIST  items waiting to be claimed

  ARGV[1..n] items    raw item strings, oldest first

  Returns: integer, how many items were in the processing list and were moved.
  Side effects: LREM processing 1 item, then LPUSH pending, walking ARGV from the last to the
  first so the items keep their order at the head of pending (ARGV[1] ends up first).
]]
local moved = 0
for i = #ARGV, 1, -1 do
  if redis.call("LREM", KEYS[1], 1, ARGV[i]) > 0 then
    redis.call("LPUSH", KEYS[2], ARGV[i])
    moved = moved + 1
  end
end
return moved
