-- KEYS: the subject's failure counter, its attempts in flight (as in begin-attempt.lua).
-- ARGV: now (ms), attempt id, result (failure | success | void), failure factor,
--       wait increment (ms), maximum wait (ms), failure reset (ms).
redis.call('ZREM', KEYS[2], ARGV[2])
if ARGV[3] == 'success' then
  redis.call('DEL', KEYS[1])
  return 0
end
if ARGV[3] ~= 'failure' then return 0 end
local now = tonumber(ARGV[1])
local factor = tonumber(ARGV[4])
local state = redis.call('HMGET', KEYS[1], 'f', 'l')
local failures = (tonumber(state[1]) or 0) + 1
local locked_until = tonumber(state[2]) or 0
if failures >= factor then
  -- Same as lockoutWaitMs in lockout-policy.ts: the increment doubled per failure past the factor, capped.
  local wait = math.min(tonumber(ARGV[6]), tonumber(ARGV[5]) * 2 ^ math.min(failures - factor, 40))
  locked_until = math.max(locked_until, now + wait)
end
redis.call('HSET', KEYS[1], 'f', failures, 'l', string.format('%d', locked_until))
redis.call('PEXPIRE', KEYS[1], math.max(tonumber(ARGV[7]), locked_until - now))
return failures
