-- Prelude: the fields of a user's second-factor hash (redis-second-factor-store.ts).
local F_TOTP, F_PENDING, F_STEP = 'totp', 'totp-pending', 'totp-step'
local RECOVERY, PASSKEY, PASSKEY_USE, SPENT_CHALLENGE = 'rc:', 'pk:', 'pku:', 'pkc:'

local function delete_with_prefix(key, prefix)
  for _, field in ipairs(redis.call('HKEYS', key)) do
    if string.sub(field, 1, #prefix) == prefix then redis.call('HDEL', key, field) end
  end
end

local function count_with_prefix(key, prefix)
  local count = 0
  for _, field in ipairs(redis.call('HKEYS', key)) do
    if string.sub(field, 1, #prefix) == prefix then count = count + 1 end
  end
  return count
end
