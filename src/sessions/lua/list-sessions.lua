-- KEYS: session set. ARGV: session key prefix.
-- Returns {session id, record, ...} of the live sessions, newest first.
local sessions = {}
for _, sid in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1, 'REV')) do
  local record = redis.call('GET', ARGV[1] .. sid)
  if record then
    sessions[#sessions + 1] = sid
    sessions[#sessions + 1] = record
  end
end
return sessions
