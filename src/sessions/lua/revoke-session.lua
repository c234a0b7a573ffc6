-- KEYS: session set, session record. ARGV: session key prefix, session id.
-- Returns 1 when the session existed.
local removed = redis.call('DEL', KEYS[2])
redis.call('ZREM', KEYS[1], ARGV[2])
settle(KEYS[1], ARGV[1])
return removed
