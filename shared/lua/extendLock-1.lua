--[[
  Extends a lock only if the caller still holds it (compare-and-pexpire).

  KEYS[1] lock   STRING  the lock; its value is the holder's random token

  ARGV[1] token  the caller's token from acquire
  ARGV[2] ttlMs  new time to live in milliseconds, integer >= 1

  Returns: 1 extended, 0 the lock is gone or held by another token (nothing done).
  Side effects: PEXPIRE lock ttlMs when the token matches.
]]
if redis.call("GET", KEYS[1]) == ARGV[1] then
  redis.call("PEXPIRE", KEYS[1], ARGV[2])
  return 1
end
return 0
