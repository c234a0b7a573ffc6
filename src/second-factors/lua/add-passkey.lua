-- KEYS: the user's second-factor hash. ARGV: credential id, its record, its use ("<counter>|<lastUsedAt>"), the most passkeys a user may have.
-- Returns 1 when added, 0 when the user is at the limit or has this credential already.
if count_with_prefix(KEYS[1], PASSKEY) >= tonumber(ARGV[4]) then return 0 end
if redis.call('HSETNX', KEYS[1], PASSKEY .. ARGV[1], ARGV[2]) == 0 then return 0 end
redis.call('HSET', KEYS[1], PASSKEY_USE .. ARGV[1], ARGV[3])
return 1
