--[[
  Releases a lock only if the caller still holds it (compare-and-delete).

  KEYS[1] lock   STRING  the lock; its value is the holder's random token

  ARGV[1] token  the caller's token from acquire

  Returns: 1 released, 0 the lock is gone or held by another token (nothing done).
  Side effects: DEL lock when the token matches.
]]
if redis.call("GET", KEYS[1]) == ARGV[1] then
  redis.call("DEL", KEYS[1])
  return 1
end
return 0
