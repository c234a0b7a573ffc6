import type { Cluster } from 'ioredis';
import { newSessionId, newUserId } from '@graphql-auth-service/subgraph/ids';
import { createRedisKeys, type RedisKeys } from '@graphql-auth-service/subgraph/redis/keys';
import { createRedisSessionStore } from '../../src/sessions/redis-session-store';
import { decodeSessionRecord } from '../../src/sessions/session-record-codec';
import type { NewSession, SessionLimit, SessionRecord } from '@graphql-auth-service/subgraph/sessions/session';
import type { SessionStore } from '../../src/sessions/session-store';
import { createRedisUserStore } from '../../src/users/redis-user-store';
import type { UserStore } from '../../src/users/user-store';
import { clusterClient, keysWithPrefix, TEST_DURABILITY, uniqueKeyPrefix } from '../support/test-env';
import { systemClock } from '@graphql-auth-service/subgraph/clock';
import { issueRefreshToken } from '../../src/tokens/refresh-token';

const REVOCATION_MEMORY_MS = 900_000;
const HOUR = 3_600_000;
/** Slack for the time between computing an expiry and Redis reading its clock. */
const TTL_TOLERANCE_MS = 1_000;
const CAP: SessionLimit = { max: 5, policy: 'evict-oldest' };

describe('Redis session keys on the cluster', () => {
  let redis: Cluster;
  let prefix: string;
  let keys: RedisKeys;
  let sessions: SessionStore;
  let users: UserStore;
  let userId: string;
  let now: number;

  beforeAll(() => {
    redis = clusterClient();
  });

  afterAll(async () => {
    await redis.quit();
  });

  beforeEach(() => {
    prefix = uniqueKeyPrefix();
    keys = createRedisKeys(prefix);
    sessions = createRedisSessionStore({ redis, keys, clock: systemClock, revocationMemoryMs: REVOCATION_MEMORY_MS, durability: TEST_DURABILITY });
    users = createRedisUserStore({ redis, keys, durability: TEST_DURABILITY });
    now = Date.now();
    userId = newUserId(now);
  });

  function session(createdAt: number, extra: Partial<SessionRecord> = {}, user = userId): SessionRecord {
    const expiresAt = extra.expiresAt ?? createdAt + HOUR;
    return { id: newSessionId(), userId: user, createdAt, expiresAt, absoluteExpiresAt: expiresAt, lastSeenAt: createdAt, ...extra };
  }

  async function createUser(id: string): Promise<void> {
    await users.create({
      id,
      username: `user-${id}`,
      passwordHash: 'opaque-hash',
      authorities: ['orders:read'],
      disabled: false,
      createdAt: now,
    });
  }

  /** The set's remaining lifetime, compared with what a member's expiresAt says it should be. */
  async function expectSetToExpireAt(expiresAt: number): Promise<void> {
    const pttl = await redis.pttl(keys.sessionSet(userId));
    expect(Math.abs(pttl - (expiresAt - Date.now()))).toBeLessThanOrEqual(TTL_TOLERANCE_MS);
  }

  it('puts every key of one user (account, session set, session records) on one hash slot', async () => {
    await createUser(userId);
    const created = [session(now), session(now + 1), session(now + 2)];
    for (const s of created) await sessions.create(s, CAP);

    const expected = [keys.user(userId), keys.sessionSet(userId), ...created.map((s) => keys.session(userId, s.id))];
    const stored = (await keysWithPrefix(redis, prefix)).filter((key) => key.includes(keys.userTag(userId)));
    expect(stored.sort()).toEqual([...expected].sort());

    const slots = await Promise.all(expected.map((key) => redis.cluster('KEYSLOT', key)));
    expect(new Set(slots).size).toBe(1);
    // And it is the slot of the user's hash tag, not of a prefix shared by every user.
    expect(slots[0]).toBe(await redis.cluster('KEYSLOT', keys.userTag(userId)));
  });

  it('makes the session set expire at the latest expiry of its members, and follows it on revoke', async () => {
    const soon = session(now, { expiresAt: now + HOUR });
    const later = session(now + 1, { expiresAt: now + 2 * HOUR });
    // Older than both, but the last to expire: the latest expiry is not the newest member's.
    const latest = session(now - 60_000, { expiresAt: now + 3 * HOUR });

    await sessions.create(soon, CAP);
    await expectSetToExpireAt(soon.expiresAt);
    await sessions.create(later, CAP);
    await expectSetToExpireAt(later.expiresAt);
    expect(await sessions.record(latest)).toBe(true);
    await expectSetToExpireAt(latest.expiresAt);

    // A newer login that expires sooner must not shorten the set's life.
    const shortest = session(now + 2, { expiresAt: now + HOUR / 2 });
    await sessions.create(shortest, CAP);
    await expectSetToExpireAt(latest.expiresAt);

    expect(await sessions.revoke(userId, latest.id)).toBe(true);
    await expectSetToExpireAt(later.expiresAt);
    expect(await sessions.revoke(userId, later.id)).toBe(true);
    await expectSetToExpireAt(soon.expiresAt);
    expect(await sessions.revokeAll(userId, shortest.id)).toBe(1);
    await expectSetToExpireAt(shortest.expiresAt);
  });

  it('moves the set expiry back when the session that expires last is evicted', async () => {
    const longest = session(now, { expiresAt: now + 3 * HOUR });
    const shorter = session(now + 1, { expiresAt: now + HOUR });
    await sessions.create(longest, { max: 2, policy: 'evict-oldest' });
    await sessions.create(shorter, { max: 2, policy: 'evict-oldest' });
    await expectSetToExpireAt(longest.expiresAt);

    const newest = session(now + 2, { expiresAt: now + 2 * HOUR });
    expect(await sessions.create(newest, { max: 2, policy: 'evict-oldest' })).toEqual({
      status: 'created',
      evictedSessionIds: [longest.id],
    });
    await expectSetToExpireAt(newest.expiresAt);
  });

  it('never leaves a session record or session set without a TTL', async () => {
    const others = [newUserId(now + 1), newUserId(now + 2)];
    for (const id of [userId, ...others]) await createUser(id);

    // Logins, a rollout record, touches, evictions, revocations, a refused login.
    const mine = [session(now), session(now + 1), session(now + 2)];
    for (const s of mine) await sessions.create(s, { max: 2, policy: 'evict-oldest' });
    await sessions.record(session(now - 5_000, { expiresAt: now + 5 * HOUR }));
    await sessions.check(userId, mine[2].id, now + 120_000, 60_000);
    await sessions.revoke(userId, mine[1].id);

    const theirs = [session(now, {}, others[0]), session(now + 1, {}, others[0])];
    for (const s of theirs) await sessions.create(s, { max: 2, policy: 'reject' });
    await sessions.create(session(now + 2, {}, others[0]), { max: 2, policy: 'reject' });
    await sessions.check(others[0], theirs[0].id, now + 120_000, 60_000);

    const third = [session(now, {}, others[1]), session(now + 1, {}, others[1])];
    for (const s of third) await sessions.create(s, CAP);
    await sessions.revokeAll(others[1], third[1].id);

    const permanent = (key: string): boolean =>
      key === keys.userIndex() ||
      key.startsWith(`${prefix}username:`) ||
      key.startsWith(`${prefix}username-skeleton:`) ||
      [userId, ...others].some((id) => key === keys.user(id));
    const all = await keysWithPrefix(redis, prefix);
    const expiring = all.filter((key) => !permanent(key));

    // Live sessions: mine[2] and the recorded one; both of theirs; third[1]. Plus one set per user.
    const live = [
      keys.session(userId, mine[2].id),
      ...theirs.map((s) => keys.session(others[0], s.id)),
      keys.session(others[1], third[1].id),
    ];
    // Revocations remembered for rollout mode: evicted mine[0], revoked mine[1] and third[0], and
    // the "all revoked at" mark of others[1]; each for one access-token lifetime.
    const remembered = [
      keys.revokedSession(userId, mine[0].id),
      keys.revokedSession(userId, mine[1].id),
      keys.revokedSession(others[1], third[0].id),
      keys.allSessionsRevokedAt(others[1]),
    ];
    expect(expiring).toEqual(
      expect.arrayContaining([...live, ...remembered, ...[userId, ...others].map((id) => keys.sessionSet(id))]),
    );
    expect(expiring).toHaveLength(live.length + 1 + remembered.length + 3);
    for (const key of expiring) {
      expect({ key, hasTtl: (await redis.pttl(key)) > 0 }).toEqual({ key, hasTtl: true });
    }
    for (const key of remembered) {
      expect(Math.abs((await redis.pttl(key)) - REVOCATION_MEMORY_MS)).toBeLessThanOrEqual(TTL_TOLERANCE_MS);
    }
    // Accounts stay until an administrator removes them.
    for (const key of all.filter(permanent)) expect(await redis.pttl(key)).toBe(-1);
  });

  it('stores metadata and the refresh token hash in a session record, never a token', async () => {
    const refresh = issueRefreshToken(userId, newSessionId());
    const withMetadata: NewSession = {
      ...session(now, { ip: '192.0.2.10', userAgent: 'Safari/17.4' }),
      refreshTokenHash: refresh.hash,
    };
    await sessions.create(withMetadata, CAP);

    const { refreshTokenHash: _hash, ...expected } = withMetadata;
    const raw = (await redis.get(keys.session(userId, withMetadata.id))) ?? '';
    expect(decodeSessionRecord(userId, withMetadata.id, raw)).toEqual(expected);
    expect(raw.split('|')[4]).toBe(refresh.hash);
    expect(raw).not.toContain(refresh.token.split('.')[3]);
    expect(await redis.pexpiretime(keys.session(userId, withMetadata.id))).toBe(withMetadata.expiresAt);

    // A check that touches the session writes lastSeenAt and nothing more.
    const seenAt = now + 120_000;
    await sessions.check(userId, withMetadata.id, seenAt, 60_000);
    const touched = (await redis.get(keys.session(userId, withMetadata.id))) ?? '';
    expect(decodeSessionRecord(userId, withMetadata.id, touched)).toEqual({ ...expected, lastSeenAt: seenAt });
    expect(touched.split('|')[4]).toBe(refresh.hash);
    expect(await redis.pexpiretime(keys.session(userId, withMetadata.id))).toBe(withMetadata.expiresAt);
  });

  it('removes the session set once every session is revoked, one by one or all at once', async () => {
    const [first, second] = [session(now), session(now + 1)];
    await sessions.create(first, CAP);
    await sessions.create(second, CAP);
    await sessions.revoke(userId, first.id);
    expect(await redis.exists(keys.sessionSet(userId))).toBe(1);
    await sessions.revoke(userId, second.id);
    expect(await redis.exists(keys.sessionSet(userId))).toBe(0);

    for (const s of [session(now + 2), session(now + 3)]) await sessions.create(s, CAP);
    await sessions.revokeAll(userId);
    expect(await redis.exists(keys.sessionSet(userId))).toBe(0);
    // What remains is only the memory of the revocations, each expiring with the last possible token.
    const left = await keysWithPrefix(redis, prefix);
    expect(left.filter((key) => !key.includes(':revoked:') && !key.endsWith(':all-revoked-at'))).toEqual([]);
    expect(left).toHaveLength(5);
  });

  it('drops a member whose record has expired at the next login, without counting it against the cap', async () => {
    const [kept, dead] = [session(now, { expiresAt: now + HOUR }), session(now + 1, { expiresAt: now + 3 * HOUR })];
    await sessions.create(kept, { max: 2, policy: 'evict-oldest' });
    await sessions.create(dead, { max: 2, policy: 'evict-oldest' });
    // What Redis does when the record's TTL runs out: the record goes, the set member stays.
    expect(await redis.del(keys.session(userId, dead.id))).toBe(1);
    expect(await redis.zrange(keys.sessionSet(userId), '0', '-1')).toContain(dead.id);

    const next = session(now + 2, { expiresAt: now + 2 * HOUR });
    expect(await sessions.create(next, { max: 2, policy: 'evict-oldest' })).toEqual({
      status: 'created',
      evictedSessionIds: [],
    });

    expect(await redis.zrange(keys.sessionSet(userId), '0', '-1')).toEqual([kept.id, next.id]);
    expect((await sessions.list(userId)).map((s) => s.id)).toEqual([next.id, kept.id]);
    // The dead member's later expiry no longer keeps the set alive.
    await expectSetToExpireAt(next.expiresAt);
  });
});
