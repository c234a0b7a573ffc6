-- KEYS: session set, session record.
-- ARGV: session key prefix, session id, presented token hash, next token hash, now (ms),
--       idle timeout (ms), revoked-session key prefix, revocation memory (ms).
-- Returns {1, session fields...} when rotated, {-1} when the token was already used
-- (the session is revoked: someone holds a copy), {0} when there is no such session or token.
local set_key, session_key = KEYS[1], KEYS[2]
local prefix, sid, presented, next_hash = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local now, idle_ms = tonumber(ARGV[5]), tonumber(ARGV[6])
local USED_KEPT = 16

local record = redis.call('HMGET', session_key, 'refreshTokenHash', 'usedRefreshTokenHashes', 'absoluteExpiresAt')
local current, used, absolute = record[1], record[2] or '', tonumber(record[3])
if not current then return {0} end

if current ~= presented then
  if string.find(' ' .. used .. ' ', ' ' .. presented .. ' ', 1, true) then
    redis.call('DEL', session_key)
    redis.call('ZREM', set_key, sid)
    remember_revoked(ARGV[7], sid, tonumber(ARGV[8]))
    settle(set_key, prefix)
    return {-1}
  end
  return {0}
end

-- Keep the last few used hashes: enough to catch a stolen copy being replayed.
local history = {}
for hash in string.gmatch(used, '%S+') do history[#history + 1] = hash end
history[#history + 1] = current
while #history > USED_KEPT do table.remove(history, 1) end

local expires_at = math.min(now + idle_ms, absolute)
redis.call('HSET', session_key,
  'refreshTokenHash', next_hash,
  'usedRefreshTokenHashes', table.concat(history, ' '),
  'expiresAt', expires_at,
  'lastSeenAt', now)
redis.call('PEXPIREAT', session_key, expires_at)
settle(set_key, prefix)
local reply = {1}
for _, value in ipairs(redis.call('HGETALL', session_key)) do reply[#reply + 1] = value end
return reply
