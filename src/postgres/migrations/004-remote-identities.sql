-- Which local account a remote provider's user is: claimed once, never computed, so a
-- remote id says nothing about the local one. The primary key makes the claim single.

CREATE TABLE remote_identities (
  remote_id text PRIMARY KEY,
  user_id text NOT NULL
);
