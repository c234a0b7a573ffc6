-- KEYS: session record, user record, and, when the caller reads revocation marks,
-- revoked-session marker and all-revoked-at marker.
-- Returns {session record or nil, authorities json, disabled flag, username, created at,
-- revoked (0|1), all revoked at}; the marks only for a missing session, and only when asked.
-- Reads only: whether lastSeenAt is due is decided by the caller, which then runs
-- touch-session.lua (at most once per touch interval), so the check that runs on every
-- request parses nothing here.
local account = redis.call('HMGET', KEYS[2], 'authorities', 'disabled', 'username', 'createdAt')
local record = redis.call('GET', KEYS[1])
if not record and #KEYS == 4 then
  return {false, account[1], account[2], account[3], account[4], redis.call('EXISTS', KEYS[3]), redis.call('GET', KEYS[4])}
end
return {record, account[1], account[2], account[3], account[4]}
