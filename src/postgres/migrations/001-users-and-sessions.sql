-- Accounts and their sessions. Times are epoch milliseconds (bigint), as the other
-- stores keep them; no row ever holds a token, only hashes of refresh tokens.

CREATE TABLE users (
  -- UUIDv7, time-ordered: listed by id in byte order, oldest first, whatever the database's locale.
  id text COLLATE "C" PRIMARY KEY,
  -- Normalised; the only spelling stored.
  username text NOT NULL UNIQUE,
  -- The confusable skeleton (confusable-skeleton.ts): two look-alike names cannot both
  -- hold one. NULL only for users created before skeletons were indexed (a backfill claims it).
  username_skeleton text UNIQUE,
  password_hash text NOT NULL,
  authorities text[] NOT NULL DEFAULT '{}',
  disabled boolean NOT NULL DEFAULT false,
  created_at bigint NOT NULL,
  email text UNIQUE,
  email_verified boolean NOT NULL DEFAULT false
);

-- One row per user who has or had sessions, with or without a local account (a remote
-- provider's users have none). Every change to a user's sessions locks this row first,
-- so the cap and its eviction are atomic across instances. It also remembers when all
-- of the user's sessions were last revoked, for as long as a token may still live.
CREATE TABLE session_owners (
  user_id text PRIMARY KEY,
  all_revoked_at bigint,
  all_revoked_until bigint
);

CREATE TABLE sessions (
  user_id text NOT NULL,
  id text NOT NULL,
  -- Arrival order: the creation time, moved past the newest when two logins share a millisecond.
  position bigint NOT NULL,
  created_at bigint NOT NULL,
  expires_at bigint NOT NULL,
  absolute_expires_at bigint NOT NULL,
  last_seen_at bigint NOT NULL,
  ip text,
  user_agent text,
  amr text[],
  -- SHA-256 of the current refresh token; NULL for sessions recorded in rollout mode.
  refresh_token_hash text,
  -- Prefixes of the last refresh token hashes rotated away, to recognise a replayed copy.
  used_refresh_hashes text[] NOT NULL DEFAULT '{}',
  PRIMARY KEY (user_id, id)
);
-- The sweeper deletes by expiry; a user's sessions are read through the primary key.
CREATE INDEX sessions_expires_at ON sessions (expires_at);

-- Sessions revoked recently, so rollout mode does not record them again while one of their
-- access tokens may live.
CREATE TABLE revoked_sessions (
  user_id text NOT NULL,
  session_id text NOT NULL,
  remembered_until bigint NOT NULL,
  PRIMARY KEY (user_id, session_id)
);
CREATE INDEX revoked_sessions_remembered_until ON revoked_sessions (remembered_until);
