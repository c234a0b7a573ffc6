-- KEYS: the subject's failure counter, its attempts in flight (as in begin-attempt.lua),
--       and the index of the addresses counted under the subject's username tag
--       (sorted set: address → when its counter expires), touched only with a member.
-- ARGV: now (ms), attempt id, result (failure | success | void), failure factor,
--       wait increment (ms), maximum wait (ms), failure reset (ms),
--       member (the address under a username's tag, or '' for an address's own counter).
local member = ARGV[8]
redis.call('ZREM', KEYS[2], ARGV[2])
if ARGV[3] == 'success' then
  redis.call('DEL', KEYS[1])
  if member ~= '' then redis.call('ZREM', KEYS[3], member) end
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
local ttl = math.max(tonumber(ARGV[7]), locked_until - now)
redis.call('HSET', KEYS[1], 'f', failures, 'l', string.format('%d', locked_until))
redis.call('PEXPIRE', KEYS[1], ttl)
if member ~= '' then
  -- So an unlock finds this address; entries leave with their counters.
  redis.call('ZADD', KEYS[3], string.format('%d', now + ttl), member)
  redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', string.format('%d', now))
  local last = redis.call('ZRANGE', KEYS[3], -1, -1, 'WITHSCORES')
  redis.call('PEXPIRE', KEYS[3], math.max(ttl, tonumber(last[2]) - now))
end
return failures
