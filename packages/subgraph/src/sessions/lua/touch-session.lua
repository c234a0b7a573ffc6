-- KEYS: session record. ARGV: now (ms), touch interval (ms).
-- Writes lastSeenAt if the interval has passed; a session revoked meanwhile stays gone.
local record = redis.call('GET', KEYS[1])
if not record then return 0 end
local now = tonumber(ARGV[1])
local fields = read_record(record)
if now - from_base36(fields[F_LAST_SEEN]) >= tonumber(ARGV[2]) then
  fields[F_LAST_SEEN] = to_base36(now)
  redis.call('SET', KEYS[1], write_record(fields), 'KEEPTTL')
end
return 1
