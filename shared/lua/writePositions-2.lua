--[[
  Writes a batch of positions of one shard into the cache and announces the changed accounts on the
  change stream, in one step, so a health checker that reads the stream never misses a write.
  A write never replaces state read at a later height (a slow full scan cannot undo a newer
  per-block refresh).

  KEYS[1] positions  HASH    account -> "<height>|<payload>"
  KEYS[2] changes    STREAM  one entry per call that changed something

  ARGV[1] height     the height the batch was read at
  ARGV[2] mode       "block" (per-block refresh), "discover" (first scan of the shard) or "scan"
                     (a rescan: every change it makes is drift the per-block refresh missed)
  ARGV[3] maxlen     approximate MAXLEN of the stream
  ARGV[4] shard      shard number, copied into the stream entry
  ARGV[5..] pairs    account, payload ("" deletes the account)

  Returns: {changed, drift, stale}: accounts written or deleted, of those how many a scan found
  different from the cache, and accounts left alone because the cache held a newer height.
]]
local height = tonumber(ARGV[1])
local scan = ARGV[2] == "scan"
local changed = {}
local drift = 0
local stale = 0
for i = 5, #ARGV, 2 do
  local account = ARGV[i]
  local payload = ARGV[i + 1]
  local current = redis.call("HGET", KEYS[1], account)
  local currentHeight = -1
  local currentPayload = nil
  if current then
    local bar = string.find(current, "|", 1, true)
    if bar then
      currentHeight = tonumber(string.sub(current, 1, bar - 1)) or -1
      currentPayload = string.sub(current, bar + 1)
    end
  end
  if currentHeight > height then
    stale = stale + 1
  elseif payload == "" then
    if current then
      redis.call("HDEL", KEYS[1], account)
      changed[#changed + 1] = account
    end
  elseif currentPayload ~= payload then
    redis.call("HSET", KEYS[1], account, ARGV[1] .. "|" .. payload)
    changed[#changed + 1] = account
  elseif currentHeight < height then
    redis.call("HSET", KEYS[1], account, ARGV[1] .. "|" .. payload)
  end
end
if #changed > 0 then
  if scan then drift = #changed end
  redis.call("XADD", KEYS[2], "MAXLEN", "~", ARGV[3], "*", "s", ARGV[4], "h", ARGV[1], "a", table.concat(changed, ","))
end
return {#changed, drift, stale}
