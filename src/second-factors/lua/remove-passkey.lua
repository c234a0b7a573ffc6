-- KEYS: the user's second-factor hash. ARGV: credential id. Returns 1 when removed.
redis.call('HDEL', KEYS[1], PASSKEY_USE .. ARGV[1])
return redis.call('HDEL', KEYS[1], PASSKEY .. ARGV[1])
