-- KEYS: a username's spacing (hash: f = failures from every address, n = next free
--       slot, epoch ms), its attempts in flight (sorted set of attempt ids by slot).
-- ARGV: now (ms), attempt id, slowdown factor, increment (ms), maximum delay (ms),
--       hold bound (ms), stale attempt age (ms).
-- Returns {1, slot} when admitted (the slot is now when the username is not spaced),
-- {0, slot} when the next free slot is further away than the hold bound: nothing is taken.
local now = tonumber(ARGV[1])
local factor = tonumber(ARGV[3])
local stale = tonumber(ARGV[7])
local state = redis.call('HMGET', KEYS[1], 'f', 'n')
local failures = tonumber(state[1]) or 0
local next_at = tonumber(state[2]) or 0
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - stale)
local slot = now
-- Attempts in flight count with the failures, so concurrent guesses cannot all slip in unspaced.
if failures + redis.call('ZCARD', KEYS[2]) >= factor then
  slot = math.max(now, next_at)
  if slot - now > tonumber(ARGV[6]) then return {0, slot} end
  -- Same as slowdownDelayMs in lockout-policy.ts.
  local doublings = math.min(math.max(0, failures - factor), 40)
  next_at = slot + math.min(tonumber(ARGV[5]), tonumber(ARGV[4]) * 2 ^ doublings)
  redis.call('HSET', KEYS[1], 'n', string.format('%d', next_at))
  -- Kept at least until the slot it promises has passed, however few the failures.
  if redis.call('PTTL', KEYS[1]) < next_at - now then redis.call('PEXPIRE', KEYS[1], next_at - now) end
end
redis.call('ZADD', KEYS[2], string.format('%d', slot), ARGV[2])
if redis.call('PTTL', KEYS[2]) < slot - now + stale then redis.call('PEXPIRE', KEYS[2], slot - now + stale) end
return {1, slot}
