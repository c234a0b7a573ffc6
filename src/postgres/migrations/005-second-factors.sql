-- Each user's second factors. Nothing here is a secret in the clear: the authenticator
-- app's secret comes sealed (secret-box.ts), recovery codes as their hashes, passkeys are
-- public keys, and a spent challenge is kept as a digest.

-- One row per user who has or had a factor. Every change to more than one of a user's
-- rows (activating the app, removing it, adding a passkey, removing them all) locks this
-- row first, so the cap on passkeys and a reset are atomic across instances.
CREATE TABLE second_factors (
  user_id text PRIMARY KEY,
  totp_sealed_secret text,
  totp_confirmed_at bigint,
  -- An enrolment not confirmed yet; past its expiry it can no longer be activated.
  pending_sealed_secret text,
  pending_expires_at bigint,
  -- The last TOTP step a code was accepted for: a code of this step or an earlier one is a replay.
  last_step bigint NOT NULL DEFAULT -1,
  CHECK ((totp_sealed_secret IS NULL) = (totp_confirmed_at IS NULL)),
  CHECK ((pending_sealed_secret IS NULL) = (pending_expires_at IS NULL))
);

-- One row per unspent recovery code, by its hash; spending deletes it.
CREATE TABLE recovery_codes (
  user_id text NOT NULL,
  code_hash text NOT NULL,
  PRIMARY KEY (user_id, code_hash)
);

CREATE TABLE passkeys (
  user_id text NOT NULL,
  -- The credential id, base64url.
  id text NOT NULL,
  -- COSE public key, base64url.
  public_key text NOT NULL,
  -- The signature counter last seen; 0 for authenticators that keep none.
  counter bigint NOT NULL,
  transports text[] NOT NULL,
  device_type text NOT NULL CHECK (device_type IN ('singleDevice', 'multiDevice')),
  backed_up boolean NOT NULL,
  name text,
  created_at bigint NOT NULL,
  last_used_at bigint,
  PRIMARY KEY (user_id, id)
);

-- Passkey sign-in challenges already answered, until they would have expired anyway: a
-- replayed answer finds its challenge here.
CREATE TABLE spent_passkey_challenges (
  user_id text NOT NULL,
  digest text NOT NULL,
  expires_at bigint NOT NULL,
  PRIMARY KEY (user_id, digest)
);
-- The sweeper deletes by expiry; a challenge is looked up through the primary key.
CREATE INDEX spent_passkey_challenges_expires_at ON spent_passkey_challenges (expires_at);
