-- KEYS: session set. ARGV: session key prefix, session id to keep ('' for none).
-- Returns how many sessions were revoked.
local set_key, prefix, keep = KEYS[1], ARGV[1], ARGV[2]
local revoked = 0
for _, sid in ipairs(redis.call('ZRANGE', set_key, 0, -1)) do
  if sid ~= keep then
    revoked = revoked + redis.call('DEL', prefix .. sid)
    redis.call('ZREM', set_key, sid)
  end
end
settle(set_key, prefix)
return revoked
