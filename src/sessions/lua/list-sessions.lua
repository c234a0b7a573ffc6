-- KEYS: session set. ARGV: session key prefix.
-- Returns the live sessions' fields (flat HGETALL arrays), newest first.
local sessions = {}
for _, sid in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1, 'REV')) do
  local fields = redis.call('HGETALL', ARGV[1] .. sid)
  if #fields > 0 then sessions[#sessions + 1] = fields end
end
return sessions
