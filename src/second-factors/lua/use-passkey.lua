-- KEYS: the user's second-factor hash. ARGV: credential id, the assertion's counter, now (ms).
-- Returns 1 when recorded, 0 for an unknown credential, -1 when the counter did not increase.
if redis.call('HEXISTS', KEYS[1], PASSKEY .. ARGV[1]) == 0 then return 0 end
local use = redis.call('HGET', KEYS[1], PASSKEY_USE .. ARGV[1]) or '0|'
local stored = tonumber(string.sub(use, 1, string.find(use, '|', 1, true) - 1))
local counter = tonumber(ARGV[2])
if (counter ~= 0 or stored ~= 0) and counter <= stored then return -1 end
redis.call('HSET', KEYS[1], PASSKEY_USE .. ARGV[1], ARGV[2] .. '|' .. ARGV[3])
return 1
