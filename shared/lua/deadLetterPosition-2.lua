--[[
  Moves a cache entry that cannot be decoded out of its shard into the dead-letter list, unless the
  collector has rewritten it meanwhile (then the new value stands and nothing moves).

  KEYS[1] positions  HASH  account -> "<height>|<payload>"
  KEYS[2] dead       LIST  dead-letter records

  ARGV[1] account
  ARGV[2] value      the value found malformed
  ARGV[3] record     the dead-letter record (JSON) to append

  Returns: 1 when moved, 0 when the entry had changed.
]]
if redis.call("HGET", KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call("HDEL", KEYS[1], ARGV[1])
redis.call("RPUSH", KEYS[2], ARGV[3])
return 1
