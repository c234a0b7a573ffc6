import { newSessionId, newUserId } from '@graphql-auth-service/subgraph/ids';
import { systemClock } from '@graphql-auth-service/subgraph/clock';
import type { SessionRecord } from '@graphql-auth-service/subgraph/sessions/session';
import { createPostgresPool } from '../../src/postgres/pool';
import { startSweeper } from '../../src/postgres/sweeper';
import { createPostgresSessionStore } from '../../src/sessions/postgres-session-store';
import { createPostgresUserStore } from '../../src/users/postgres-user-store';
import { openTestSchema, type TestSchema } from '../support/postgres';
import { ManualClock } from '../support/manual-clock';
import { describeSessionExpiryByClock, REVOCATION_MEMORY_MS } from './session-expiry.contract';
import { describeSessionStoreContract } from './session-store.contract';

const HOUR = 3_600_000;

describeSessionStoreContract('PostgreSQL', async () => {
  const schema = await openTestSchema();
  return {
    store: createPostgresSessionStore({ postgres: schema.pool, clock: systemClock, revocationMemoryMs: REVOCATION_MEMORY_MS }),
    users: createPostgresUserStore({ postgres: schema.pool }),
    close: schema.close,
  };
});

describeSessionExpiryByClock('PostgreSQL', async (clock) => {
  const schema = await openTestSchema();
  return { store: createPostgresSessionStore({ postgres: schema.pool, clock, revocationMemoryMs: REVOCATION_MEMORY_MS }), close: schema.close };
});

describe('PostgreSQL sessions', () => {
  let schema: TestSchema;
  beforeEach(async () => {
    schema = await openTestSchema();
  });
  afterEach(() => schema.close());

  const count = async (table: string) => Number((await schema.pool.query(`SELECT count(*) FROM ${table}`)).rows[0].count);

  function session(userId: string, createdAt: number, expiresAt = createdAt + HOUR): SessionRecord {
    return { id: newSessionId(), userId, createdAt, expiresAt, absoluteExpiresAt: expiresAt, lastSeenAt: createdAt };
  }

  it('keeps the cap and evicts in order under 50 concurrent logins through two instances', async () => {
    // Two pools on one schema: two service instances on one database.
    const secondPool = createPostgresPool({ url: schema.url, poolSize: 4 });
    const otherPool = createPostgresSessionStore({ postgres: secondPool, clock: systemClock, revocationMemoryMs: REVOCATION_MEMORY_MS });
    const onePool = createPostgresSessionStore({ postgres: schema.pool, clock: systemClock, revocationMemoryMs: REVOCATION_MEMORY_MS });
    const userId = newUserId(Date.now());
    const start = Date.now();
    const sessions = Array.from({ length: 50 }, (_, index) => session(userId, start + index));
    const outcomes = await Promise.all(
      sessions.map((one, index) => (index % 2 === 0 ? onePool : otherPool).create(one, { max: 5, policy: 'evict-oldest' })),
    );

    const live = await onePool.list(userId);
    expect(live).toHaveLength(5);
    const evicted = outcomes.flatMap((outcome) => (outcome.status === 'created' ? outcome.evictedSessionIds : []));
    // Every session is either still live or was evicted exactly once, by exactly one login.
    expect(new Set(evicted).size).toBe(evicted.length);
    expect([...evicted, ...live.map((one) => one.id)].sort()).toEqual(sessions.map((one) => one.id).sort());
    expect(Number((await schema.pool.query('SELECT count(*) FROM sessions WHERE user_id = $1', [userId])).rows[0].count)).toBe(5);
    await secondPool.end();
  });

  it('answers each of 200 concurrent checks for its own session and account, though they share statements', async () => {
    const store = createPostgresSessionStore({ postgres: schema.pool, clock: systemClock, revocationMemoryMs: REVOCATION_MEMORY_MS });
    const users = createPostgresUserStore({ postgres: schema.pool });
    const now = Date.now();
    const owners = Array.from({ length: 10 }, (_, index) => ({ id: newUserId(now), username: `owner-${index}` }));
    for (const [index, owner] of owners.entries()) {
      await users.create({ ...owner, passwordHash: 'opaque', authorities: [`role-${index}`], disabled: index % 3 === 0, createdAt: now + index });
    }
    const sessions = owners.flatMap((owner) => Array.from({ length: 5 }, () => session(owner.id, now)));
    for (const one of sessions) await store.create(one, { max: 0, policy: 'evict-oldest' });
    const revoked = new Set(sessions.filter((_, index) => index % 4 === 0).map((one) => one.id));
    for (const one of sessions) if (revoked.has(one.id)) await store.revoke(one.userId, one.id);
    const strangers = Array.from({ length: 10 }, () => session(newUserId(now), now));

    const asked = Array.from({ length: 200 }, (_, index) => [...sessions, ...strangers][(index * 7) % 60]);
    const answers = await Promise.all(asked.map((one) => store.check(one.userId, one.id, Date.now(), HOUR)));

    answers.forEach((answer, index) => {
      const one = asked[index];
      const owner = owners.findIndex((candidate) => candidate.id === one.userId);
      expect(answer.found).toBe(owner >= 0 && !revoked.has(one.id));
      expect(answer.account).toEqual(
        owner < 0 ? undefined : { username: `owner-${owner}`, authorities: [`role-${owner}`], disabled: owner % 3 === 0, createdAt: now + owner },
      );
    });
  });

  it('sweeps expired sessions, forgotten revocations and idle owners; keeps everything live', async () => {
    const clock = new ManualClock(Date.now());
    const store = createPostgresSessionStore({ postgres: schema.pool, clock, revocationMemoryMs: 2 * HOUR });
    const sweeper = startSweeper(schema.pool, () => clock.now(), (error) => {
      throw error;
    });
    const start = clock.now();
    const short = newUserId(start);
    const lasting = newUserId(start);
    for (let index = 0; index < 3; index++) await store.create(session(short, start + index, start + HOUR), { max: 0, policy: 'evict-oldest' });
    const kept = session(lasting, start, start + 3 * HOUR);
    await store.create(kept, { max: 0, policy: 'evict-oldest' });
    const revoked = session(lasting, start + 1, start + 3 * HOUR);
    await store.create(revoked, { max: 0, policy: 'evict-oldest' });
    await store.revoke(lasting, revoked.id);

    expect(await sweeper.sweep(clock.now())).toBe(0);
    clock.advance(HOUR);
    // Three sessions (expired at the hour itself) and the owner row of a user with none left.
    expect(await sweeper.sweep(clock.now())).toBe(4);
    expect(await count('sessions')).toBe(1);
    expect(await count('revoked_sessions')).toBe(1);
    expect(await count('session_owners')).toBe(1);
    expect(await store.check(lasting, kept.id, clock.now(), 60_000)).toMatchObject({ found: true });

    clock.advance(HOUR);
    expect(await sweeper.sweep(clock.now())).toBe(1);
    expect(await count('revoked_sessions')).toBe(0);
    sweeper.stop();
  });

  it('keeps neither a refresh token nor its hash past one rotation, only short prefixes of used hashes', async () => {
    const store = createPostgresSessionStore({ postgres: schema.pool, clock: systemClock, revocationMemoryMs: REVOCATION_MEMORY_MS });
    const userId = newUserId(Date.now());
    const first = { ...session(userId, Date.now()), refreshTokenHash: 'a'.repeat(43) };
    await store.create(first, { max: 5, policy: 'evict-oldest' });
    for (let round = 1; round <= 20; round++) {
      const outcome = await store.rotateRefresh(userId, first.id, {
        presentedHash: String.fromCharCode(96 + round).repeat(43),
        nextHash: String.fromCharCode(97 + round).repeat(43),
        nowMs: Date.now(),
        idleTtlMs: HOUR,
      });
      expect(outcome.status).toBe('rotated');
    }
    const { rows } = await schema.pool.query<{ refresh_token_hash: string; used_refresh_hashes: string[] }>(
      'SELECT refresh_token_hash, used_refresh_hashes FROM sessions',
    );
    expect(rows[0].refresh_token_hash).toBe('u'.repeat(43));
    expect(rows[0].used_refresh_hashes).toHaveLength(16);
    expect(rows[0].used_refresh_hashes.every((prefix) => prefix.length === 11)).toBe(true);
    expect(rows[0].used_refresh_hashes.at(-1)).toBe('t'.repeat(11));
  });
});
