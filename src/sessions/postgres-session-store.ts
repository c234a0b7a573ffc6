import type { Pool, PoolClient } from 'pg';
import type { Clock } from '@graphql-auth-service/subgraph/clock';
import { createPostgresSessionChecker } from '@graphql-auth-service/subgraph/postgres/postgres-session-checker';
import { failClosedOnPostgres } from '@graphql-auth-service/subgraph/postgres/unavailable';
import type { NewSession, RefreshOutcome, SessionCreation, SessionRecord } from '@graphql-auth-service/subgraph/sessions/session';
import { inTransaction } from '../postgres/transaction';
import type { SessionStore } from './session-store';

export interface PostgresSessionStoreDeps {
  readonly postgres: Pool;
  readonly clock: Clock;
  /** How long a revocation is remembered for rollout mode: the access token lifetime. */
  readonly revocationMemoryMs: number;
  /** Whether the check reads a missing session's revocation marks: rollout mode needs them. Default: yes. */
  readonly revocationMarksOnCheck?: boolean;
}

interface SessionRow extends Record<string, unknown> {
  id: string;
  user_id: string;
  created_at: string;
  expires_at: string;
  absolute_expires_at: string;
  last_seen_at: string;
  ip: string | null;
  user_agent: string | null;
  amr: string[] | null;
}

const RECORD_COLUMNS = 'id, user_id, created_at, expires_at, absolute_expires_at, last_seen_at, ip, user_agent, amr';

/** The last used refresh hashes are kept as prefixes of 11 characters (64 bits): enough to recognise a replayed copy. */
const USED_HASH_PREFIX = 11;
const USED_HASHES_KEPT = 16;

// Takes the owner's row lock (creating the row if need be) for the rest of the transaction:
// every change that counts a user's sessions serialises on it, on every instance.
const LOCK_OWNER = 'INSERT INTO session_owners (user_id) VALUES ($1) ON CONFLICT (user_id) DO UPDATE SET user_id = EXCLUDED.user_id';

/** Inserts a session from `source`: a VALUES list or a SELECT of the same eleven columns. */
const insertSession = (source: string) => `
INSERT INTO sessions (user_id, id, position, created_at, expires_at, absolute_expires_at, last_seen_at, ip, user_agent, amr, refresh_token_hash)
${source}`;
const SESSION_VALUES = '$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11';

/** Remembers the revoked sessions `source` selects as (user id, session id, until). */
const rememberRevoked = (source: string) => `
INSERT INTO revoked_sessions (user_id, session_id, remembered_until) ${source}
ON CONFLICT (user_id, session_id) DO UPDATE SET remembered_until = EXCLUDED.remembered_until`;

/**
 * Sessions in PostgreSQL. A change that counts a user's sessions (a login under the cap,
 * log out everywhere) is one transaction holding the row lock of the user's
 * `session_owners` row, so concurrent logins through several instances evict in order;
 * the others are single statements. Expired sessions are never read, a login deletes
 * its user's, and the sweeper (postgres/sweeper.ts) deletes everyone else's.
 */
export function createPostgresSessionStore(deps: PostgresSessionStoreDeps): SessionStore {
  const { postgres, clock, revocationMemoryMs } = deps;
  const checker = createPostgresSessionChecker(postgres, { revocationMarks: deps.revocationMarksOnCheck ?? true });
  const rememberedUntil = () => clock.now() + revocationMemoryMs;

  async function remember(client: PoolClient | Pool, userId: string, sessionIds: readonly string[]): Promise<void> {
    if (sessionIds.length === 0) return;
    await client.query({ name: 'auth_session_remember_revoked', text: rememberRevoked('SELECT $1, unnest($2::text[]), $3'), values: [userId, sessionIds, rememberedUntil()] });
  }

  function insertValues(session: SessionRecord | NewSession, position: number): unknown[] {
    return [
      session.userId,
      session.id,
      position,
      session.createdAt,
      session.expiresAt,
      session.absoluteExpiresAt,
      session.lastSeenAt,
      session.ip ?? null,
      session.userAgent ?? null,
      session.amr ?? null,
      ('refreshTokenHash' in session ? session.refreshTokenHash : undefined) ?? null,
    ];
  }

  return {
    async create(session, limit): Promise<SessionCreation> {
      return inTransaction(postgres, async (client) => {
        const now = clock.now();
        await client.query({ name: 'auth_session_lock_owner', text: LOCK_OWNER, values: [session.userId] });
        const { rows } = await client.query<{ id: string; position: string; expires_at: string }>({
          name: 'auth_session_positions',
          text: 'SELECT id, position, expires_at FROM sessions WHERE user_id = $1 ORDER BY position, id',
          values: [session.userId],
        });
        const expired = rows.filter((row) => Number(row.expires_at) <= now).map((row) => row.id);
        const live = rows.filter((row) => Number(row.expires_at) > now);
        if (live.some((row) => row.id === session.id)) throw new Error('Session id collision');
        let evicted: string[] = [];
        if (limit.max > 0 && live.length >= limit.max) {
          if (limit.policy === 'reject') return { status: 'limit-reached' };
          evicted = live.slice(0, live.length - limit.max + 1).map((row) => row.id);
        }
        const gone = [...expired, ...evicted];
        if (gone.length > 0) {
          await client.query({ name: 'auth_session_delete_many', text: 'DELETE FROM sessions WHERE user_id = $1 AND id = ANY($2::text[])', values: [session.userId, gone] });
          await remember(client, session.userId, evicted);
        }
        // Arrival order, even for logins within the same millisecond.
        const newest = live.filter((row) => !evicted.includes(row.id)).at(-1);
        const position = Math.max(session.createdAt, newest === undefined ? -Infinity : Number(newest.position) + 1);
        await client.query({ name: 'auth_session_insert', text: insertSession(`VALUES (${SESSION_VALUES})`), values: insertValues(session, position) });
        return { status: 'created', evictedSessionIds: evicted };
      });
    },

    async record(session) {
      // Placed by its true creation time among the others; an expired row of the same id is replaced.
      const { rowCount } = await failClosedOnPostgres(() =>
        postgres.query({
          name: 'auth_session_record',
          text: `WITH owner AS (${LOCK_OWNER} RETURNING user_id)
${insertSession(`SELECT ${SESSION_VALUES} FROM owner`)}
ON CONFLICT (user_id, id) DO UPDATE SET
  position = EXCLUDED.position, created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at,
  absolute_expires_at = EXCLUDED.absolute_expires_at, last_seen_at = EXCLUDED.last_seen_at, ip = EXCLUDED.ip,
  user_agent = EXCLUDED.user_agent, amr = EXCLUDED.amr, refresh_token_hash = NULL, used_refresh_hashes = '{}'
WHERE sessions.expires_at <= $12`,
          values: [...insertValues(session, session.createdAt), clock.now()],
        }),
      );
      return rowCount === 1;
    },

    check: checker.check,

    async rotateRefresh(userId, sessionId, rotation): Promise<RefreshOutcome> {
      const { presentedHash, nextHash, nowMs, idleTtlMs } = rotation;
      const rotated = await failClosedOnPostgres(() =>
        postgres.query<SessionRow>({
          name: 'auth_session_rotate_refresh',
          text: `
UPDATE sessions SET
  refresh_token_hash = $4,
  used_refresh_hashes = (used_refresh_hashes || left(refresh_token_hash, ${USED_HASH_PREFIX}))[greatest(1, cardinality(used_refresh_hashes) + 2 - ${USED_HASHES_KEPT}):],
  expires_at = least($5 + $6, absolute_expires_at),
  last_seen_at = $5
WHERE user_id = $1 AND id = $2 AND expires_at > $5 AND refresh_token_hash = $3
RETURNING ${RECORD_COLUMNS}`,
          values: [userId, sessionId, presentedHash, nextHash, nowMs, idleTtlMs],
        }),
      );
      if (rotated.rows.length === 1) return { status: 'rotated', session: toRecord(rotated.rows[0]) };
      // Not the current token: one rotated away before means a copy is in other hands.
      const reused = await failClosedOnPostgres(() =>
        postgres.query({
          name: 'auth_session_revoke_reused',
          text: `
WITH gone AS (
  DELETE FROM sessions WHERE user_id = $1 AND id = $2 AND expires_at > $3
    AND refresh_token_hash IS NOT NULL AND left($4, ${USED_HASH_PREFIX}) = ANY(used_refresh_hashes)
  RETURNING id)
${rememberRevoked('SELECT $1, id, $5 FROM gone')}
RETURNING session_id`,
          values: [userId, sessionId, nowMs, presentedHash, rememberedUntil()],
        }),
      );
      return reused.rows.length === 1 ? { status: 'reused' } : { status: 'unknown' };
    },

    async list(userId) {
      const { rows } = await failClosedOnPostgres(() =>
        postgres.query<SessionRow>({
          name: 'auth_session_list',
          text: `SELECT ${RECORD_COLUMNS} FROM sessions WHERE user_id = $1 AND expires_at > $2 ORDER BY position DESC, id DESC`,
          values: [userId, clock.now()],
        }),
      );
      return rows.map(toRecord);
    },

    async revoke(userId, sessionId) {
      const { rows } = await failClosedOnPostgres(() =>
        postgres.query({
          name: 'auth_session_revoke',
          text: `
WITH gone AS (DELETE FROM sessions WHERE user_id = $1 AND id = $2 AND expires_at > $3 RETURNING id)
${rememberRevoked('SELECT $1, id, $4 FROM gone')}
RETURNING session_id`,
          values: [userId, sessionId, clock.now(), rememberedUntil()],
        }),
      );
      return rows.length === 1;
    },

    async revokeAll(userId, keepSessionId) {
      return inTransaction(postgres, async (client) => {
        const now = clock.now();
        // Also covers sessions rollout mode has not seen yet, which no list can name.
        await client.query({
          name: 'auth_session_mark_all_revoked',
          text: `INSERT INTO session_owners (user_id, all_revoked_at, all_revoked_until) VALUES ($1, $2, $3)
ON CONFLICT (user_id) DO UPDATE SET all_revoked_at = EXCLUDED.all_revoked_at, all_revoked_until = EXCLUDED.all_revoked_until`,
          values: [userId, now, now + revocationMemoryMs],
        });
        const { rows } = await client.query<{ id: string; expires_at: string }>({
          name: 'auth_session_delete_all',
          text: 'DELETE FROM sessions WHERE user_id = $1 AND id <> $2 RETURNING id, expires_at',
          values: [userId, keepSessionId ?? ''],
        });
        const revoked = rows.filter((row) => Number(row.expires_at) > now).map((row) => row.id);
        await remember(client, userId, revoked);
        return revoked.length;
      });
    },
  };
}

function toRecord(row: SessionRow): SessionRecord {
  return {
    id: row.id,
    userId: row.user_id,
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
    absoluteExpiresAt: Number(row.absolute_expires_at),
    lastSeenAt: Number(row.last_seen_at),
    ...(row.ip !== null && { ip: row.ip }),
    ...(row.user_agent !== null && { userAgent: row.user_agent }),
    ...(row.amr !== null && { amr: row.amr }),
  };
}
