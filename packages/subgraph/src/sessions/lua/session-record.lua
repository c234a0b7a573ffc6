-- Prelude: the session record, one string of fields separated by '|' in the order
-- of session-record-codec.ts. Timestamps are epoch milliseconds in base 36.
local F_CREATED, F_EXPIRES, F_ABSOLUTE, F_LAST_SEEN, F_REFRESH, F_USED = 1, 2, 3, 4, 5, 6

local function split_on(text, separator)
  local parts, start = {}, 1
  while true do
    local at = string.find(text, separator, start, true)
    if not at then
      parts[#parts + 1] = string.sub(text, start)
      return parts
    end
    parts[#parts + 1] = string.sub(text, start, at - 1)
    start = at + 1
  end
end

local function read_record(record) return split_on(record, '|') end
local function write_record(fields) return table.concat(fields, '|') end

local DIGITS_36 = '0123456789abcdefghijklmnopqrstuvwxyz'
local function to_base36(number)
  number = math.floor(number)
  if number == 0 then return '0' end
  local digits = ''
  while number > 0 do
    local digit = number % 36
    digits = string.sub(DIGITS_36, digit + 1, digit + 1) .. digits
    number = (number - digit) / 36
  end
  return digits
end
local function from_base36(text) return tonumber(text, 36) end
