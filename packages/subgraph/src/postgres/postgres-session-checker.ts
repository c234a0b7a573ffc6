import type { SessionCheck } from '../sessions/session';
import type { SessionChecker } from '../sessions/session-checker';
import type { PostgresClient } from './client';
import { failClosedOnPostgres } from './unavailable';

export interface PostgresSessionCheckerOptions {
  /** Read the revocation marks of a missing session (rollout mode needs them). Default: on. */
  readonly revocationMarks?: boolean;
}

interface CheckRow extends Record<string, unknown> {
  last_seen_at: string | number | null;
  username: string | null;
  authorities: string[] | null;
  disabled: boolean | null;
  created_at: string | number | null;
  revoked?: boolean;
  all_revoked_at?: string | number | null;
}

// One row whatever exists: the session's lastSeenAt (NULL when missing or expired) and the account beside it.
const CHECK = `
SELECT (SELECT s.last_seen_at FROM sessions s WHERE s.user_id = $1 AND s.id = $2 AND s.expires_at > $3) AS last_seen_at,
       u.username, u.authorities, u.disabled, u.created_at`;
const FROM_USER = `
FROM (SELECT $1::text AS id) AS k LEFT JOIN users u ON u.id = k.id`;
const MARKS = `,
       EXISTS (SELECT 1 FROM revoked_sessions r WHERE r.user_id = $1 AND r.session_id = $2 AND r.remembered_until > $3) AS revoked,
       (SELECT o.all_revoked_at FROM session_owners o WHERE o.user_id = $1 AND o.all_revoked_until > $3) AS all_revoked_at`;

const TOUCH = 'UPDATE sessions SET last_seen_at = $3 WHERE user_id = $1 AND id = $2 AND expires_at > $3 AND $3 - last_seen_at >= $4';

/**
 * The session check as one prepared statement: the session (live only), the account,
 * and the revocation marks when asked for, read together. `lastSeenAt` is written by a
 * second statement only when the touch interval has passed, at most once a minute per
 * session, so every other request is one round trip of reads, as on Redis.
 */
export function createPostgresSessionChecker(postgres: PostgresClient, options: PostgresSessionCheckerOptions = {}): SessionChecker {
  const revocationMarks = options.revocationMarks ?? true;
  const check = revocationMarks
    ? { name: 'auth_check_session_with_marks', text: CHECK + MARKS + FROM_USER }
    : { name: 'auth_check_session', text: CHECK + FROM_USER };
  return {
    async check(userId, sessionId, nowMs, touchIntervalMs): Promise<SessionCheck> {
      const { rows } = await failClosedOnPostgres(() => postgres.query<CheckRow>({ ...check, values: [userId, sessionId, nowMs] }));
      const row = rows[0];
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
