-- Single-use tokens of mailed links (account-token.ts): a row per token, named by the
-- token's SHA-256, never by the token, so whoever reads the table cannot use a link.

CREATE TABLE account_tokens (
  -- Each purpose is its own namespace: a reset link's token does not verify an address.
  purpose text NOT NULL,
  token_hash text NOT NULL,
  -- What the token stands for: a flat object of strings.
  payload jsonb NOT NULL,
  expires_at bigint NOT NULL,
  PRIMARY KEY (purpose, token_hash)
);
-- The sweeper deletes by expiry; a token is looked up through the primary key.
CREATE INDEX account_tokens_expires_at ON account_tokens (expires_at);
