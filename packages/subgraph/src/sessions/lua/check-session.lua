-- KEYS: session record, user record, revoked-session marker, all-revoked-at marker.
-- ARGV: now (ms), touch interval (ms).
-- Returns {found (0|1), revoked (0|1), all revoked at, authorities json, disabled flag, username, created at}.
-- The account is read either way; lastSeenAt is written at most once per interval.
local account = redis.call('HMGET', KEYS[2], 'authorities', 'disabled', 'username', 'createdAt')
local record = redis.call('GET', KEYS[1])
if not record then
  return {0, redis.call('EXISTS', KEYS[3]), redis.call('GET', KEYS[4]), account[1], account[2], account[3], account[4]}
end
local now = tonumber(ARGV[1])
local fields = read_record(record)
if now - from_base36(fields[F_LAST_SEEN]) >= tonumber(ARGV[2]) then
  fields[F_LAST_SEEN] = to_base36(now)
  redis.call('SET', KEYS[1], write_record(fields), 'KEEPTTL')
end
return {1, 0, false, account[1], account[2], account[3], account[4]}
