-- KEYS: the user's second-factor hash.
-- ARGV: credential id, the assertion's counter, now (ms), the answered challenge's digest and expiry (ms).
-- Returns 1 when recorded, 0 for an unknown credential, -1 when the counter did not increase,
-- -2 when the challenge was spent already (a replayed answer).
if redis.call('HEXISTS', KEYS[1], PASSKEY .. ARGV[1]) == 0 then return 0 end
local now = tonumber(ARGV[3])
-- Spent challenges are kept only until they expire: a few per recent sign-in.
for _, field in ipairs(redis.call('HKEYS', KEYS[1])) do
  if string.sub(field, 1, #SPENT_CHALLENGE) == SPENT_CHALLENGE and tonumber(redis.call('HGET', KEYS[1], field)) <= now then
    redis.call('HDEL', KEYS[1], field)
  end
end
if redis.call('HEXISTS', KEYS[1], SPENT_CHALLENGE .. ARGV[4]) == 1 then return -2 end
local use = redis.call('HGET', KEYS[1], PASSKEY_USE .. ARGV[1]) or '0|'
local stored = tonumber(string.sub(use, 1, string.find(use, '|', 1, true) - 1))
local counter = tonumber(ARGV[2])
if (counter ~= 0 or stored ~= 0) and counter <= stored then return -1 end
redis.call('HSET', KEYS[1], PASSKEY_USE .. ARGV[1], ARGV[2] .. '|' .. ARGV[3], SPENT_CHALLENGE .. ARGV[4], ARGV[5])
return 1
