-- KEYS: the user's second-factor hash. Returns 1 when an active secret was removed.
local had = redis.call('HEXISTS', KEYS[1], F_TOTP)
delete_with_prefix(KEYS[1], RECOVERY)
redis.call('HDEL', KEYS[1], F_TOTP, F_PENDING, F_STEP)
return had
