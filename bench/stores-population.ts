import bcrypt from 'bcryptjs';
import type { Pool } from 'pg';
import { newSessionId, newUserId } from '@graphql-auth-service/subgraph/ids';
import type { NewSession } from '@graphql-auth-service/subgraph/sessions/session';
import type { UserRecord } from '@graphql-auth-service/subgraph/users/user';
import type { SessionStore } from '../src/sessions/session-store';
import { usernameSkeleton } from '../src/users/confusable-skeleton';
import type { UserStore } from '../src/users/user-store';
import { benchSession, type SessionRef } from './redis-memory';

/** The service's default MAX_SESSIONS_PER_USER: a deployment at the default never holds more per user. */
export const SESSION_CAP = 5;
const DAY_MS = 86_400_000;
/** Redis: store operations in flight while seeding, as redis-memory.ts creates its sessions. */
const IN_FLIGHT = 1_000;
/** PostgreSQL: rows per bulk statement. */
const ROWS_PER_INSERT = 10_000;

/** What to add to both stores to reach the next size: the same ids and records on each. */
export interface Growth {
  readonly users: readonly UserRecord[];
  readonly sessions: readonly NewSession[];
}

/**
 * The sessions both stores hold, by user, oldest first: user n was given (n mod 5) + 1
 * sessions (1 to 5, 3 on average), and logins during the run add and evict as the stores
 * answer. Both stores get the same operations in the same order, so this one model is each one's.
 */
export interface Population {
  readonly userCount: number;
  readonly sessionCount: number;
  /** Every live session, to pick checks from. */
  live(): SessionRef[];
  sessionsOf(userId: string): readonly string[];
  randomUser(): string;
  /** New users and sessions until there are `target` sessions, recorded as held. */
  growTo(target: number): Growth;
  /** Records a login: the new session, and the sessions the stores evicted for it. */
  loggedIn(session: NewSession, evicted: readonly string[]): void;
}

export function createPopulation(now: number, passwordHash: string): Population {
  const byUser = new Map<string, string[]>();
  const users: string[] = [];
  let sessionCount = 0;
  // Seeded sessions were created over the past day, in this order: evict-oldest picks the same one on both stores.
  let seeded = 0;
  const newUser = (): UserRecord => {
    const id = newUserId(now - DAY_MS + users.length);
    users.push(id);
    byUser.set(id, []);
    return { id, username: `bench-user-${users.length}`, passwordHash, authorities: ['orders:read'], disabled: false, createdAt: now - DAY_MS };
  };
  return {
    get userCount() {
      return users.length;
    },
    get sessionCount() {
      return sessionCount;
    },
    live: () => [...byUser].flatMap(([userId, ids]) => ids.map((sessionId) => ({ userId, sessionId }))),
    sessionsOf: (userId) => byUser.get(userId) ?? [],
    randomUser: () => users[Math.floor(Math.random() * users.length)],
    growTo(target) {
      const added = { users: [] as UserRecord[], sessions: [] as NewSession[] };
      while (sessionCount < target) {
        let userId = users.at(-1);
        if (userId === undefined || (byUser.get(userId)?.length ?? 0) >= ((users.length - 1) % SESSION_CAP) + 1) {
          const user = newUser();
          added.users.push(user);
          userId = user.id;
        }
        const sessionId = newSessionId();
        added.sessions.push(benchSession(userId, sessionId, now, now - DAY_MS + seeded));
        seeded += 1;
        byUser.get(userId)?.push(sessionId);
        sessionCount += 1;
      }
      return added;
    },
    loggedIn(session, evicted) {
      const ids = (byUser.get(session.userId) ?? []).filter((id) => !evicted.includes(id));
      ids.push(session.id);
      sessionCount += ids.length - (byUser.get(session.userId)?.length ?? 0);
      byUser.set(session.userId, ids);
    },
  };
}

/** One bcrypt hash for every seeded user: the stores keep it, no login here checks it. */
export const seedPasswordHash = (): Promise<string> => bcrypt.hash('bench password 1', 4);

/** Runs `work` for every item, IN_FLIGHT at a time. */
async function inBatches<T>(items: readonly T[], work: (item: T) => Promise<unknown>): Promise<void> {
  for (let start = 0; start < items.length; start += IN_FLIGHT) await Promise.all(items.slice(start, start + IN_FLIGHT).map(work));
}

/** Through the stores' own code, pipelined (ioredis auto-pipelining): users first, so the check finds each account. */
export async function seedRedis(users: UserStore, sessions: SessionStore, growth: Growth): Promise<void> {
  await inBatches(growth.users, (user) => users.create(user));
  await inBatches(growth.sessions, (session) => sessions.create(session, { max: 0, policy: 'evict-oldest' }));
}

const arrayLiteral = (values: readonly string[]) => `{${values.join(',')}}`;

/** Runs `statement` on slices of the rows, each slice's columns as arrays. */
async function insertColumns<T>(pool: Pool, statement: string, rows: readonly T[], columns: (row: T) => unknown[]): Promise<void> {
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    const slice = rows.slice(start, start + ROWS_PER_INSERT).map(columns);
    await pool.query(statement, slice[0]?.map((_, column) => slice.map((row) => row[column])) ?? []);
  }
}

/**
 * Bulk inserts of rows shaped as the stores write them: a users row as the user store's
 * create (with the username's skeleton), a session_owners row per user (a login's lock
 * creates it), and sessions with the columns of the session store's insert. Array columns
 * travel as literals, since unnest would flatten an array of arrays. Then VACUUM ANALYZE,
 * as autovacuum would soon: without it the first reads set hint bits, and an autovacuum
 * triggered by the inserts may start in the middle of the measurements.
 */
export async function seedPostgres(pool: Pool, growth: Growth): Promise<void> {
  await insertColumns(
    pool,
    `INSERT INTO users (id, username, username_skeleton, password_hash, authorities, disabled, created_at)
SELECT id, username, skeleton, hash, authorities::text[], disabled, created_at
FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::boolean[], $7::bigint[]) AS u(id, username, skeleton, hash, authorities, disabled, created_at)`,
    growth.users,
    (user) => [user.id, user.username, usernameSkeleton(user.username), user.passwordHash, arrayLiteral(user.authorities), user.disabled, user.createdAt],
  );
  await insertColumns(pool, 'INSERT INTO session_owners (user_id) SELECT unnest($1::text[])', growth.users, (user) => [user.id]);
  await insertColumns(
    pool,
    `INSERT INTO sessions (user_id, id, position, created_at, expires_at, absolute_expires_at, last_seen_at, ip, user_agent, amr, refresh_token_hash)
SELECT user_id, id, created_at, created_at, expires_at, absolute_expires_at, last_seen_at, ip, user_agent, amr::text[], refresh_token_hash
FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[], $7::text[], $8::text[], $9::text[], $10::text[])
  AS s(user_id, id, created_at, expires_at, absolute_expires_at, last_seen_at, ip, user_agent, amr, refresh_token_hash)`,
    growth.sessions,
    (session) => [
      session.userId,
      session.id,
      session.createdAt,
      session.expiresAt,
      session.absoluteExpiresAt,
      session.lastSeenAt,
      session.ip ?? null,
      session.userAgent ?? null,
      session.amr === undefined ? null : arrayLiteral(session.amr),
      session.refreshTokenHash ?? null,
    ],
  );
  await pool.query('VACUUM ANALYZE users, session_owners, sessions');
}
