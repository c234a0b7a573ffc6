-- Prelude shared by the session scripts (Redis scripts cannot include one another).
-- Every key a script touches carries the user's hash tag, so all live on one slot.

-- Remembers a revoked session for as long as one of its access tokens may still
-- live, so rollout mode (SESSION_CHECK=record) does not record it again.
local function remember_revoked(revoked_prefix, sid, memory_ms)
  redis.call('SET', revoked_prefix .. sid, '1', 'PX', memory_ms)
end

-- Drops members whose record has expired, then makes the set expire at the latest
-- expiry among the rest (or deletes it when none is left). Returns that expiry.
-- A record expires at its expiresAt, so its key's expiry time is that field.
local function settle(set_key, prefix)
  local latest = 0
  for _, sid in ipairs(redis.call('ZRANGE', set_key, 0, -1)) do
    local expires = redis.call('PEXPIRETIME', prefix .. sid)
    if expires > 0 then
      if expires > latest then latest = expires end
    else
      redis.call('ZREM', set_key, sid)
    end
  end
  if latest > 0 then
    redis.call('PEXPIREAT', set_key, latest)
  else
    redis.call('DEL', set_key)
  end
  return latest
end
