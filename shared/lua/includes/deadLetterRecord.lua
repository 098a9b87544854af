--[[
  Include: deadLetterRecord(raw, reason, queue, consumer, attempt, now) -> string

  The JSON written to a dead-letter list: { item, reason, queue, consumer, attempt, at }.
  `item` is the raw item string, unchanged; `attempt` is null when unknown (item not decodable);
  `at` is the caller's clock in epoch milliseconds (passed in, never read inside Lua).
]]
local function deadLetterRecord(raw, reason, queue, consumer, attempt, now)
  if attempt == nil then attempt = cjson.null end
  return cjson.encode({ item = raw, reason = reason, queue = queue, consumer = consumer, attempt = attempt, at = now })
end
