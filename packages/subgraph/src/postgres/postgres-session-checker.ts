import type { SessionCheck } from '../sessions/session';
import type { SessionChecker } from '../sessions/session-checker';
import type { PostgresClient } from './client';
import { failClosedOnPostgres } from './unavailable';

export interface PostgresSessionCheckerOptions {
  /** Read the revocation marks of a missing session (rollout mode needs them). Default: on. */
  readonly revocationMarks?: boolean;
}

interface CheckRow extends Record<string, unknown> {
  i: string;
  last_seen_at: string | null;
  username: string | null;
  authorities: string[] | null;
  disabled: boolean | null;
  created_at: string | null;
  revoked?: boolean;
  all_revoked_at?: string | null;
}

// One row per check asked for, whatever exists: the session's lastSeenAt (NULL when missing
// or expired) and the account beside it, numbered as asked. Each is a primary-key probe: the
// planner cannot count an unnested array, and a join could otherwise scan the users.
const CHECK = `
SELECT k.i,
       (SELECT s.last_seen_at FROM sessions s WHERE s.user_id = k.user_id AND s.id = k.session_id AND s.expires_at > k.now) AS last_seen_at,
       u.username, u.authorities, u.disabled, u.created_at`;
const ACCOUNT = `
LEFT JOIN LATERAL (SELECT username, authorities, disabled, created_at FROM users WHERE id = k.user_id) AS u ON true`;
// A single check gets a statement of its own: the planner prices an unnested array of
// unknown length above the plan of one row and would plan it anew at every execution,
// which costs more than the lookups (a batch shares that one planning between its checks).
const ONE = `
FROM (SELECT $1::text AS user_id, $2::text AS session_id, $3::bigint AS now, 1 AS i) AS k${ACCOUNT}`;
const MANY = `
FROM unnest($1::text[], $2::text[], $3::bigint[]) WITH ORDINALITY AS k(user_id, session_id, now, i)${ACCOUNT}`;
const MARKS = `,
       EXISTS (SELECT 1 FROM revoked_sessions r WHERE r.user_id = k.user_id AND r.session_id = k.session_id AND r.remembered_until > k.now) AS revoked,
       (SELECT o.all_revoked_at FROM session_owners o WHERE o.user_id = k.user_id AND o.all_revoked_until > k.now) AS all_revoked_at`;

const TOUCH = 'UPDATE sessions SET last_seen_at = $3 WHERE user_id = $1 AND id = $2 AND expires_at > $3 AND $3 - last_seen_at >= $4';

interface PendingCheck {
  readonly userId: string;
  readonly sessionId: string;
  readonly nowMs: number;
  resolve(row: CheckRow): void;
  reject(error: unknown): void;
}

/**
 * The session check as one prepared statement: the session (live only), the account, and
 * the revocation marks when asked for, read together. The checks of every request that
 * arrives in one turn of the event loop go in one statement, as ioredis' auto-pipelining
 * sends them in one write: per request, one round trip's worth of writes and wake-ups is
 * what a database client costs most. `lastSeenAt` is written by a second statement only
 * when the touch interval has passed, at most once a minute per session.
 */
export function createPostgresSessionChecker(postgres: PostgresClient, options: PostgresSessionCheckerOptions = {}): SessionChecker {
  const revocationMarks = options.revocationMarks ?? true;
  const columns = revocationMarks ? CHECK + MARKS : CHECK;
  const suffix = revocationMarks ? '_with_marks' : '';
  const one = { name: `auth_check_session${suffix}`, text: columns + ONE };
  const many = { name: `auth_check_sessions${suffix}`, text: columns + MANY };
  let pending: PendingCheck[] = [];

  async function flush(): Promise<void> {
    const batch = pending;
    pending = [];
    try {
      const [first] = batch;
      const { rows } = await failClosedOnPostgres(() =>
        postgres.query<CheckRow>(
          batch.length === 1
            ? { ...one, values: [first.userId, first.sessionId, first.nowMs] }
            : { ...many, values: [batch.map((check) => check.userId), batch.map((check) => check.sessionId), batch.map((check) => check.nowMs)] },
        ),
      );
      for (const row of rows) batch[Number(row.i) - 1].resolve(row);
    } catch (error) {
      for (const check of batch) check.reject(error);
    }
  }

  function read(userId: string, sessionId: string, nowMs: number): Promise<CheckRow> {
    return new Promise((resolve, reject) => {
      if (pending.length === 0) setImmediate(() => void flush());
      pending.push({ userId, sessionId, nowMs, resolve, reject });
    });
  }

  return {
    async check(userId, sessionId, nowMs, touchIntervalMs): Promise<SessionCheck> {
      const row = await read(userId, sessionId, nowMs);
      const found = row.last_seen_at !== null;
      if (found && nowMs - Number(row.last_seen_at) >= touchIntervalMs) {
        await failClosedOnPostgres(() =>
          postgres.query({ name: 'auth_touch_session', text: TOUCH, values: [userId, sessionId, nowMs, touchIntervalMs] }),
        );
      }
      return {
        found,
        revoked: !found && row.revoked === true,
        allRevokedAt: found || row.all_revoked_at === null || row.all_revoked_at === undefined ? undefined : Number(row.all_revoked_at),
        account:
          row.username === null
            ? undefined
            : { username: row.username, authorities: row.authorities ?? [], disabled: row.disabled === true, createdAt: Number(row.created_at) },
      };
    },
  };
}
