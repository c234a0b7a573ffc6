-- KEYS: session record, user record, revoked-session marker, all-revoked-at marker.
-- Returns {session record or nil, revoked (0|1), all revoked at, authorities json, disabled flag, username, created at}.
-- Reads only: whether lastSeenAt is due is decided by the caller, which then runs
-- touch-session.lua (at most once per touch interval), so the check that runs on every
-- request does no parsing here.
local account = redis.call('HMGET', KEYS[2], 'authorities', 'disabled', 'username', 'createdAt')
local record = redis.call('GET', KEYS[1])
if not record then
  return {false, redis.call('EXISTS', KEYS[3]), redis.call('GET', KEYS[4]), account[1], account[2], account[3], account[4]}
end
return {record, 0, false, account[1], account[2], account[3], account[4]}
