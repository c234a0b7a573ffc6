-- KEYS: session record, user record, revoked-session marker, all-revoked-at marker.
-- ARGV: now (ms), touch interval (ms).
-- Returns {found (0|1), authorities json, disabled flag, revoked (0|1), all revoked at}.
-- The account is read either way; lastSeenAt is written at most once per interval.
local account = redis.call('HMGET', KEYS[2], 'authorities', 'disabled')
local last_seen = redis.call('HGET', KEYS[1], 'lastSeenAt')
if not last_seen then
  return {0, account[1], account[2], redis.call('EXISTS', KEYS[3]), redis.call('GET', KEYS[4])}
end
if tonumber(ARGV[1]) - tonumber(last_seen) >= tonumber(ARGV[2]) then
  redis.call('HSET', KEYS[1], 'lastSeenAt', ARGV[1])
end
return {1, account[1], account[2], 0, false}
