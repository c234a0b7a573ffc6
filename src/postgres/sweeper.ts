import type { Pool } from 'pg';

/** Rows deleted per statement: short transactions, no long lock on a busy table. */
const BATCH = 1_000;
const SWEEP_INTERVAL_MS = 60_000;

/** Deletes up to BATCH rows of `table` that `expired` (a condition on its columns and $1, now) selects. */
const deleteExpired = (table: string, expired: string) =>
  `DELETE FROM ${table} WHERE ctid = ANY (ARRAY(SELECT ctid FROM ${table} WHERE ${expired} LIMIT ${BATCH} FOR UPDATE SKIP LOCKED))`;

/**
 * What expires in the PostgreSQL store. A row past its time is never read (every read
 * compares it with now); the sweeper only frees the space, as a key's TTL does on Redis.
 */
const SWEEPS: readonly { readonly name: string; readonly text: string }[] = [
  { name: 'auth_sweep_sessions', text: deleteExpired('sessions', 'expires_at <= $1') },
  { name: 'auth_sweep_revoked_sessions', text: deleteExpired('revoked_sessions', 'remembered_until <= $1') },
  { name: 'auth_sweep_login_counters', text: deleteExpired('login_counters', 'expires_at <= $1') },
  { name: 'auth_sweep_login_spacings', text: deleteExpired('login_spacings', 'expires_at <= $1') },
  { name: 'auth_sweep_account_tokens', text: deleteExpired('account_tokens', 'expires_at <= $1') },
  { name: 'auth_sweep_spent_passkey_challenges', text: deleteExpired('spent_passkey_challenges', 'expires_at <= $1') },
  {
    // An owner row only serialises logins and remembers a logout-all: with neither to do, it goes.
    name: 'auth_sweep_session_owners',
    text: deleteExpired(
      'session_owners o',
      '(o.all_revoked_until IS NULL OR o.all_revoked_until <= $1) AND NOT EXISTS (SELECT 1 FROM sessions s WHERE s.user_id = o.user_id)',
    ),
  },
];

export interface Sweeper {
  /** Deletes what has expired by `nowMs`; returns how many rows went. */
  sweep(nowMs: number): Promise<number>;
  stop(): void;
}

/**
 * Deletes expired rows once a minute on every instance. Instances do not coordinate:
 * SKIP LOCKED lets two sweeps share the work instead of waiting on each other.
 */
export function startSweeper(pool: Pool, now: () => number, onError: (error: unknown) => void): Sweeper {
  async function sweep(nowMs: number): Promise<number> {
    let deleted = 0;
    for (const statement of SWEEPS) {
      for (;;) {
        const { rowCount } = await pool.query({ ...statement, values: [nowMs] });
        deleted += rowCount ?? 0;
        if ((rowCount ?? 0) < BATCH) break;
      }
    }
    return deleted;
  }
  const timer = setInterval(() => void sweep(now()).catch(onError), SWEEP_INTERVAL_MS);
  timer.unref();
  return { sweep, stop: () => clearInterval(timer) };
}
