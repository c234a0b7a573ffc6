-- KEYS: session set, session record.
-- ARGV: session key prefix, session id, revoked-session key prefix, revocation memory (ms).
-- Returns 1 when the session existed.
local removed = redis.call('DEL', KEYS[2])
redis.call('ZREM', KEYS[1], ARGV[2])
if removed == 1 then remember_revoked(ARGV[3], ARGV[2], tonumber(ARGV[4])) end
settle(KEYS[1], ARGV[1])
return removed
