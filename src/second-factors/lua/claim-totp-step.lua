-- KEYS: the user's second-factor hash. ARGV: the step of the code presented.
-- Returns 1 when the step is later than every step used before (now used), 0 for a replay.
local last = tonumber(redis.call('HGET', KEYS[1], F_STEP) or '-1')
if tonumber(ARGV[1]) <= last then return 0 end
redis.call('HSET', KEYS[1], F_STEP, ARGV[1])
return 1
