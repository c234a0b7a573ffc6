-- KEYS: session set, session record.
-- ARGV: session key prefix, session id, presented token hash, next token hash, now (ms),
--       idle timeout (ms), revoked-session key prefix, revocation memory (ms).
-- Returns {1, record} when rotated, {-1} when the token was already used
-- (the session is revoked: someone holds a copy), {0} when there is no such session or token.
local set_key, session_key = KEYS[1], KEYS[2]
local prefix, sid, presented, next_hash = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local now, idle_ms = tonumber(ARGV[5]), tonumber(ARGV[6])
-- The last used hashes are kept as 64-bit prefixes: enough to recognise a replayed copy.
local USED_KEPT, USED_PREFIX = 16, 11

local record = redis.call('GET', session_key)
if not record then return {0} end
local fields = read_record(record)
local current = fields[F_REFRESH]
if current == '' then return {0} end

local used = fields[F_USED]
if current ~= presented then
  if string.find(',' .. used .. ',', ',' .. string.sub(presented, 1, USED_PREFIX) .. ',', 1, true) then
    redis.call('DEL', session_key)
    redis.call('ZREM', set_key, sid)
    remember_revoked(ARGV[7], sid, tonumber(ARGV[8]))
    settle(set_key, prefix)
    return {-1}
  end
  return {0}
end

local history = {}
if used ~= '' then history = split_on(used, ',') end
history[#history + 1] = string.sub(current, 1, USED_PREFIX)
while #history > USED_KEPT do table.remove(history, 1) end

local expires_at = math.min(now + idle_ms, from_base36(fields[F_ABSOLUTE]))
fields[F_REFRESH] = next_hash
fields[F_USED] = table.concat(history, ',')
fields[F_EXPIRES] = to_base36(expires_at)
fields[F_LAST_SEEN] = to_base36(now)
local updated = write_record(fields)
redis.call('SET', session_key, updated, 'PXAT', expires_at)
settle(set_key, prefix)
return {1, updated}
