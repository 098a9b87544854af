--[[
  Pushes liquidation candidates to the HEAD of the liquidate queue, best first, each account at most
  once per `repeat` blocks (an account still unhealthy a block later is not queued again while the
  liquidator is on it). The freshest block's candidates are taken before older ones: a backlog never
  delays what just became liquidatable.

  KEYS[1] pending   LIST  the liquidate queue's pending items
  KEYS[2] flagged   HASH  account -> height it was last queued at

  ARGV[1] height    the height the candidates were found at
  ARGV[2] repeat    blocks before the same account may be queued again
  ARGV[3..] pairs   account, item (the queue envelope), best first

  Returns: how many items were pushed.
]]
local height = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local pushed = 0
-- From the worst to the best, each to the head: the best ends up first.
for i = #ARGV - 1, 3, -2 do
  local last = tonumber(redis.call("HGET", KEYS[2], ARGV[i]) or "-1")
  if last < 0 or height - last >= window or last > height then
    redis.call("LPUSH", KEYS[1], ARGV[i + 1])
    redis.call("HSET", KEYS[2], ARGV[i], height)
    pushed = pushed + 1
  end
end
return pushed
