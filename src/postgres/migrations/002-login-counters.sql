-- The login limiter's counters (failure-counter-store.ts), shared by every instance.
-- Each operation locks the one row it changes, so admissions and failures of one
-- subject are serialised across instances. Times are epoch milliseconds.

-- One row per counted subject: a client address (member '') or a username at one
-- address (member = the address). A username's addresses are its rows with member <> ''.
CREATE TABLE login_counters (
  tag text COLLATE "C" NOT NULL,
  member text COLLATE "C" NOT NULL DEFAULT '',
  failures integer NOT NULL DEFAULT 0,
  locked_until bigint NOT NULL DEFAULT 0,
  -- Failures and lock count until then (the failure reset after the last failure, or the
  -- lock's end); afterwards they are read as none.
  counted_until bigint NOT NULL DEFAULT 0,
  -- Attempts in flight: attempt id → start time. Each stops counting STALE_ATTEMPT_MS after it started.
  attempts jsonb NOT NULL DEFAULT '{}',
  -- The later of counted_until and the last attempt's start + STALE_ATTEMPT_MS: nothing
  -- in the row counts any more after it, so the sweeper may delete it.
  expires_at bigint NOT NULL,
  PRIMARY KEY (tag, member)
);
-- The sweeper deletes by expiry; the store reads by the primary key.
CREATE INDEX login_counters_expires_at ON login_counters (expires_at);

-- One row per username tag: the spacing of its attempts from every address.
CREATE TABLE login_spacings (
  tag text COLLATE "C" PRIMARY KEY,
  failures integer NOT NULL DEFAULT 0,
  -- The next free slot.
  next_at bigint NOT NULL DEFAULT 0,
  -- Failures and next_at count until then (at least until next_at); afterwards they are read as none.
  counted_until bigint NOT NULL DEFAULT 0,
  -- Attempts in flight: attempt id → its slot. Each stops counting STALE_ATTEMPT_MS after its slot.
  slots jsonb NOT NULL DEFAULT '{}',
  -- The later of counted_until and the last slot + STALE_ATTEMPT_MS.
  expires_at bigint NOT NULL
);
CREATE INDEX login_spacings_expires_at ON login_spacings (expires_at);
