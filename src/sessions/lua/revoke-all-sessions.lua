-- KEYS: session set, all-revoked-at marker.
-- ARGV: session key prefix, session id to keep ('' for none), revoked-session key prefix,
--       revocation memory (ms), now (ms).
-- Returns how many sessions were revoked.
local set_key, prefix, keep = KEYS[1], ARGV[1], ARGV[2]
local revoked_prefix, memory_ms = ARGV[3], tonumber(ARGV[4])
local revoked = 0
for _, sid in ipairs(redis.call('ZRANGE', set_key, 0, -1)) do
  if sid ~= keep then
    if redis.call('DEL', prefix .. sid) == 1 then
      revoked = revoked + 1
      remember_revoked(revoked_prefix, sid, memory_ms)
    end
    redis.call('ZREM', set_key, sid)
  end
end
-- Also covers sessions rollout mode has not seen yet, which no list can name; a kept
-- session is known, so the marker never reaches it.
redis.call('SET', KEYS[2], ARGV[5], 'PX', memory_ms)
settle(set_key, prefix)
return revoked
