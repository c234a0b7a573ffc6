-- KEYS: the subject's failure counter (hash: f = failures, l = locked until, epoch ms),
--       its attempts in flight (sorted set of attempt ids by start time).
-- ARGV: now (ms), attempt id, failure factor, stale attempt age (ms).
-- Returns 0 when admitted, -1 when too many attempts are in flight, else the lock's end.
local now = tonumber(ARGV[1])
local state = redis.call('HMGET', KEYS[1], 'f', 'l')
local failures = tonumber(state[1]) or 0
local locked_until = tonumber(state[2]) or 0
if locked_until > now then return locked_until end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - tonumber(ARGV[4]))
-- Same as attemptSlots in failure-counter-store.ts.
if redis.call('ZCARD', KEYS[2]) >= math.max(1, tonumber(ARGV[3]) - failures) then return -1 end
redis.call('ZADD', KEYS[2], now, ARGV[2])
redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[4]))
return 0
