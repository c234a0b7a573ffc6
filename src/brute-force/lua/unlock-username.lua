-- KEYS: a username's spacing (as in reserve-slot.lua), the index of the addresses
--       counted under its tag (as in end-attempt.lua).
-- ARGV: now (ms), the key prefix an address from the index completes into its counter's
--       key (on this slot: it shares the username's hash tag).
-- Forgets all of them. Returns {the username's failures, the addresses' failures summed,
-- how many addresses were locked}.
local now = tonumber(ARGV[1])
local failures = tonumber(redis.call('HGET', KEYS[1], 'f')) or 0
local pair_failures, locked = 0, 0
for _, member in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
  local key = ARGV[2] .. member
  local state = redis.call('HMGET', key, 'f', 'l')
  pair_failures = pair_failures + (tonumber(state[1]) or 0)
  if (tonumber(state[2]) or 0) > now then locked = locked + 1 end
  redis.call('DEL', key)
end
redis.call('DEL', KEYS[1], KEYS[2])
return {failures, pair_failures, locked}
