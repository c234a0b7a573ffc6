-- KEYS: session record, user record, revoked-session marker, all-revoked-at marker.
-- ARGV: now (ms), touch interval (ms).
-- Returns {found (0|1), revoked (0|1), all revoked at, authorities json, disabled flag, username, created at}.
-- The account is read either way; lastSeenAt is written at most once per interval.
local account = redis.call('HMGET', KEYS[2], 'authorities', 'disabled', 'username', 'createdAt')
local last_seen = redis.call('HGET', KEYS[1], 'lastSeenAt')
if not last_seen then
  return {0, redis.call('EXISTS', KEYS[3]), redis.call('GET', KEYS[4]), account[1], account[2], account[3], account[4]}
end
if tonumber(ARGV[1]) - tonumber(last_seen) >= tonumber(ARGV[2]) then
  redis.call('HSET', KEYS[1], 'lastSeenAt', ARGV[1])
end
return {1, 0, false, account[1], account[2], account[3], account[4]}
