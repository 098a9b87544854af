--[[
  Moves one item from the consumer's processing list to the dead-letter list, wrapped with its
  reason. Used for malformed items and unrecoverable handler errors.

  KEYS[1] processing  LIST  the consumer's items in flight
  KEYS[2] dead        LIST  dead-letter records (JSON)

  ARGV[1] item      raw item string, as claimed
  ARGV[2] reason    why it is dead (stored in the record)
  ARGV[3] queue     queue name (stored in the record)
  ARGV[4] consumer  consumer id (stored in the record)
  ARGV[5] attempt   the item's attempt, or "" when unknown (stored as null)
  ARGV[6] now       epoch milliseconds (stored as `at`)

  Returns: 1 dead-lettered, -1 the item is not in the processing list (nothing done).
  Side effects: LREM processing; RPUSH dead { item, reason, queue, consumer, attempt, at }.
]]
--- @include "deadLetterRecord"

if redis.call("LREM", KEYS[1], 1, ARGV[1]) == 0 then return -1 end
redis.call("RPUSH", KEYS[2], deadLetterRecord(ARGV[1], ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5]), tonumber(ARGV[6])))
return 1
