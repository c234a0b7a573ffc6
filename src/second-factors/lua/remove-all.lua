-- KEYS: the user's second-factor hash. Returns how many factors there were: the active app, and each passkey.
local count = redis.call('HEXISTS', KEYS[1], F_TOTP) + count_with_prefix(KEYS[1], PASSKEY)
redis.call('DEL', KEYS[1])
return count
