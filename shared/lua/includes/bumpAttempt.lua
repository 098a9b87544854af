--[[
  Include: bumpAttempt(raw) -> newRaw, newAttempt | nil

  Returns `raw` with its top-level "attempt" integer increased by one, plus the new attempt.
  Returns nil when `raw` is not a JSON object whose top-level "attempt" is a non-negative integer.
  Only the digits of that one field change, so "data" keeps its exact bytes: re-encoding with
  cjson would reformat numbers (%.14g), turn [] into {} and reorder keys. The scanner walks the
  text once, skipping strings (with escapes) and tracking nesting depth, so an "attempt" key
  inside "data" is never touched.
]]
local function bumpAttempt(raw)
  local ok, decoded = pcall(cjson.decode, raw)
  if not ok or type(decoded) ~= "table" then return nil end
  local attempt = decoded["attempt"]
  if type(attempt) ~= "number" or attempt < 0 or attempt ~= math.floor(attempt) then return nil end
  local depth, i = 0, 1
  while true do
    local p = string.find(raw, '[\"{}%[%]]', i)
    if not p then return nil end
    local c = string.sub(raw, p, p)
    if c == '"' then
      local j = p + 1
      while true do
        local q = string.find(raw, '[\\"]', j)
        if not q then return nil end
        if string.sub(raw, q, q) == "\\" then
          j = q + 2
        else
          j = q
          break
        end
      end
      if depth == 1 and string.sub(raw, p, j) == '"attempt"' then
        local s, e, digits = string.find(raw, '^%s*:%s*(%d+)', j + 1)
        if s and not string.find(raw, '^[%.eE]', e + 1) and tonumber(digits) == attempt then
          local nextAttempt = attempt + 1
          return string.sub(raw, 1, e - #digits) .. string.format("%d", nextAttempt) .. string.sub(raw, e + 1), nextAttempt
        end
      end
      i = j + 1
    else
      if c == "{" or c == "[" then depth = depth + 1 else depth = depth - 1 end
      i = p + 1
    end
  end
end
