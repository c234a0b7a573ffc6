-- KEYS: session set, new session record.
-- ARGV: session key prefix, session id, createdAt, expiresAt, max sessions (0 = no cap),
--       policy ('evict-oldest' | 'reject' | 'record'), revoked-session key prefix,
--       revocation memory (ms), the encoded record (session-record-codec.ts).
-- Returns {1, evicted ids...}, {0} when the session already exists, {-1} when refused.
local set_key, session_key = KEYS[1], KEYS[2]
local prefix, sid = ARGV[1], ARGV[2]
local created_at, expires_at = tonumber(ARGV[3]), tonumber(ARGV[4])
local max_sessions, policy = tonumber(ARGV[5]), ARGV[6]
local revoked_prefix, memory_ms = ARGV[7], tonumber(ARGV[8])

if redis.call('EXISTS', session_key) == 1 then return {0} end
local latest = settle(set_key, prefix)

local result = {1}
if policy ~= 'record' and max_sessions > 0 then
  local live = redis.call('ZCARD', set_key)
  if live >= max_sessions then
    if policy == 'reject' then return {-1} end
    for _, oldest in ipairs(redis.call('ZRANGE', set_key, 0, live - max_sessions)) do
      redis.call('DEL', prefix .. oldest)
      redis.call('ZREM', set_key, oldest)
      remember_revoked(revoked_prefix, oldest, memory_ms)
      result[#result + 1] = oldest
    end
  end
end

redis.call('SET', session_key, ARGV[9], 'PXAT', expires_at)

local score = created_at
if policy ~= 'record' then
  -- Arrival order, even for logins within the same millisecond.
  local newest = redis.call('ZRANGE', set_key, -1, -1, 'WITHSCORES')
  if newest[2] and tonumber(newest[2]) >= score then score = tonumber(newest[2]) + 1 end
end
redis.call('ZADD', set_key, score, sid)

if #result > 1 then
  settle(set_key, prefix)
else
  redis.call('PEXPIREAT', set_key, math.max(latest, expires_at))
end
return result
