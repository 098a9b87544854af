--[[
  Acknowledges items: removes each from the consumer's processing list. Processing lists are per
  consumer, so the list itself is the lease and no token is needed.

  KEYS[1] processing  LIST  the consumer's items in flight

  ARGV[1..n] items    raw item strings, as claimed

  Returns: integer, how many of the items were still in the list and were removed. An item that is
  missing was returned to pending by the reaper or a re-adoption and will be delivered again.
  Side effects: LREM processing 1 item, per item.
]]
local removed = 0
for i = 1, #ARGV do
  removed = removed + redis.call("LREM", KEYS[1], 1, ARGV[i])
end
return removed
