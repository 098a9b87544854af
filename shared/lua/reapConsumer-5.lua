--[[
  Recovers the items of one dead consumer (its heartbeat key expired). Re-checks the heartbeat
  inside the script, so a consumer that came back between the caller's check and this call is
  left alone.

  KEYS[1] heartbeat   STRING  the consumer's heartbeat (absent when it is dead)
  KEYS[2] processing  LIST    the consumer's items in flight
  KEYS[3] pending     LIST    items waiting to be claimed
  KEYS[4] dead        LIST    dead-letter records (JSON)
  KEYS[5] consumers   SET     consumer ids that may hold items

  ARGV[1] consumer     the dead consumer's id
  ARGV[2] maxAttempts  integer >= 1, deliveries allowed per item
  ARGV[3] queue        queue name (stored in dead-letter records)
  ARGV[4] now          epoch milliseconds (stored as `at`)

  Returns: { requeued, deadLettered } or -2 when the heartbeat exists (consumer alive; nothing done).
  Side effects: each processing item goes back to the HEAD of pending with attempt + 1 (oldest
  first), or to dead once attempt + 1 reaches maxAttempts; items that are not valid envelopes go
  back unchanged so the next consumer dead-letters them with a precise reason. Then DEL processing
  and SREM consumers.
]]
--- @include "bumpAttempt"
--- @include "deadLetterRecord"

if redis.call("EXISTS", KEYS[1]) == 1 then return -2 end
local maxAttempts = tonumber(ARGV[2])
local now = tonumber(ARGV[4])
local items = redis.call("LRANGE", KEYS[2], 0, -1)
local requeued, deadLettered = 0, 0
for i = #items, 1, -1 do
  local raw = items[i]
  local bumped, attempt = bumpAttempt(raw)
  if not bumped then
    redis.call("LPUSH", KEYS[3], raw)
    requeued = requeued + 1
  elseif attempt >= maxAttempts then
    local reason = "consumer " .. ARGV[1] .. " died holding the item; " .. attempt .. " of " .. maxAttempts .. " attempts used"
    redis.call("RPUSH", KEYS[4], deadLetterRecord(raw, reason, ARGV[3], ARGV[1], attempt - 1, now))
    deadLettered = deadLettered + 1
  else
    redis.call("LPUSH", KEYS[3], bumped)
    requeued = requeued + 1
  end
end
redis.call("DEL", KEYS[2])
redis.call("SREM", KEYS[5], ARGV[1])
return { requeued, deadLettered }
