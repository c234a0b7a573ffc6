-- KEYS: the user's second-factor hash.
-- ARGV: sealed secret being confirmed, now (ms), the confirming code's step,
--       the active record to store, recovery code hashes...
-- Returns 1 when activated, 0 when that secret is no longer pending (replaced or expired).
local pending = redis.call('HGET', KEYS[1], F_PENDING)
if not pending then return 0 end
local separator = string.find(pending, '|', 1, true)
local expires_at, sealed = tonumber(string.sub(pending, 1, separator - 1)), string.sub(pending, separator + 1)
if sealed ~= ARGV[1] or expires_at <= tonumber(ARGV[2]) then return 0 end
delete_with_prefix(KEYS[1], RECOVERY)
redis.call('HDEL', KEYS[1], F_PENDING)
redis.call('HSET', KEYS[1], F_TOTP, ARGV[4], F_STEP, ARGV[3])
for i = 5, #ARGV do redis.call('HSET', KEYS[1], RECOVERY .. ARGV[i], '1') end
return 1
