-- KEYS: a username's spacing, its attempts in flight (as in reserve-slot.lua).
-- ARGV: now (ms), attempt id, result (failure | success | void), failure reset (ms).
redis.call('ZREM', KEYS[2], ARGV[2])
if ARGV[3] == 'success' then
  redis.call('DEL', KEYS[1])
  return 0
end
if ARGV[3] ~= 'failure' then return 0 end
local now = tonumber(ARGV[1])
local failures = redis.call('HINCRBY', KEYS[1], 'f', 1)
local next_at = tonumber(redis.call('HGET', KEYS[1], 'n')) or 0
redis.call('PEXPIRE', KEYS[1], math.max(tonumber(ARGV[4]), next_at - now))
return failures
