--[[
  A handler failed on an item: put it back at the tail of pending with attempt + 1, or dead-letter
  it once attempt + 1 reaches the maximum. Only acts when the item is still in the consumer's
  processing list (otherwise the reaper already returned it and someone else owns it now).

  KEYS[1] processing  LIST  the consumer's items in flight
  KEYS[2] pending     LIST  items waiting to be claimed
  KEYS[3] dead        LIST  dead-letter records (JSON)

  ARGV[1] item         raw item string, as claimed
  ARGV[2] maxAttempts  integer >= 1, deliveries allowed per item
  ARGV[3] reason       the handler's error message (stored when dead-lettered)
  ARGV[4] queue        queue name (stored in the record)
  ARGV[5] consumer     consumer id (stored in the record)
  ARGV[6] now          epoch milliseconds (stored as `at`)

  Returns: 1 requeued, 2 dead-lettered, -1 the item is not in the processing list (nothing done).
  Side effects: LREM processing; RPUSH pending (attempt + 1) or RPUSH dead (record).
]]
--- @include "bumpAttempt"
--- @include "deadLetterRecord"

if redis.call("LREM", KEYS[1], 1, ARGV[1]) == 0 then return -1 end
local maxAttempts = tonumber(ARGV[2])
local now = tonumber(ARGV[6])
local bumped, attempt = bumpAttempt(ARGV[1])
if not bumped then
  redis.call("RPUSH", KEYS[3], deadLetterRecord(ARGV[1], "item has no integer attempt field: " .. ARGV[3], ARGV[4], ARGV[5], nil, now))
  return 2
end
if attempt >= maxAttempts then
  local reason = "failed " .. attempt .. " of " .. maxAttempts .. " attempts, last error: " .. ARGV[3]
  redis.call("RPUSH", KEYS[3], deadLetterRecord(ARGV[1], reason, ARGV[4], ARGV[5], attempt - 1, now))
  return 2
end
redis.call("RPUSH", KEYS[2], bumped)
return 1
