import type { Cluster, Redis } from 'ioredis';
import { type Clock, systemClock } from '@graphql-auth-service/subgraph/clock';
import { newSessionId, newUserId } from '@graphql-auth-service/subgraph/ids';
import type { RedisClient } from '@graphql-auth-service/subgraph/redis/client';
import { createRedisKeys } from '@graphql-auth-service/subgraph/redis/keys';
import { createMemorySessionStore } from '../../src/sessions/memory-session-store';
import { createRedisSessionStore } from '../../src/sessions/redis-session-store';
import type { SessionRecord } from '@graphql-auth-service/subgraph/sessions/session';
import type { SessionStore } from '../../src/sessions/session-store';
import { createMemoryUserStore } from '../../src/users/memory-user-store';
import { createRedisUserStore } from '../../src/users/redis-user-store';
import type { UserRecord } from '@graphql-auth-service/subgraph/users/user';
import { toHash } from '@graphql-auth-service/subgraph/users/user-hash';
import { ManualClock } from '../support/manual-clock';
import { clusterClient, singleClient, TEST_DURABILITY, uniqueKeyPrefix } from '../support/test-env';
import { describeSessionStoreContract, type SessionStoreUnderTest } from './session-store.contract';
import { describeUserStoreContract, type UserStoreUnderTest } from './user-store.contract';

const REVOCATION_MEMORY_MS = 900_000;

const nothingToClose = async (): Promise<void> => undefined;

/** The in-memory pair, wired the way the service wires it when no Redis is configured. */
function memoryStores(clock: Clock): SessionStoreUnderTest {
  const users = createMemoryUserStore();
  return {
    store: createMemorySessionStore({ clock, lookupAccount: (id) => users.findById(id), revocationMemoryMs: REVOCATION_MEMORY_MS }),
    users,
    close: nothingToClose,
  };
}

/** Redis stores under a key prefix of their own, so every test starts empty. */
function redisStores(redis: RedisClient): SessionStoreUnderTest & Pick<UserStoreUnderTest, 'createLegacyUser' | 'leaveEmailClaim'> {
  const keys = createRedisKeys(uniqueKeyPrefix());
  return {
    store: createRedisSessionStore({ redis, keys, clock: systemClock, revocationMemoryMs: REVOCATION_MEMORY_MS, durability: TEST_DURABILITY }),
    users: createRedisUserStore({ redis, keys, durability: TEST_DURABILITY }),
    // The keys a user had before usernames were indexed by skeleton: record, name, index.
    async createLegacyUser(user: UserRecord) {
      await redis.hset(keys.user(user.id), toHash(user));
      await redis.set(keys.username(user.username), user.id, 'NX');
      await redis.zadd(keys.userIndex(), 0, user.id);
    },
    // The first step of changeEmail, without the rest.
    async leaveEmailClaim(userId: string, email: string) {
      await redis.set(keys.email(email), userId, 'NX');
    },
    close: nothingToClose,
  };
}

const userStoreOnly = ({ users, createLegacyUser, leaveEmailClaim }: ReturnType<typeof redisStores>): UserStoreUnderTest => ({
  store: users,
  createLegacyUser,
  leaveEmailClaim,
  close: nothingToClose,
});

describe('in-memory stores', () => {
  describeUserStoreContract('in-memory', async () => ({ store: createMemoryUserStore(), close: nothingToClose }));
  describeSessionStoreContract('in-memory', async () => memoryStores(new ManualClock(Date.now())));

  describe('session expiry by the injected clock', () => {
    const HOUR = 3_600_000;
    let clock: ManualClock;
    let store: SessionStore;
    let userId: string;

    beforeEach(() => {
      clock = new ManualClock(Date.now());
      store = memoryStores(clock).store;
      userId = newUserId(clock.now());
    });

    function session(createdAt: number, expiresAt: number): SessionRecord {
      return { id: newSessionId(), userId, createdAt, expiresAt, absoluteExpiresAt: expiresAt, lastSeenAt: createdAt };
    }

    it('keeps a session until its expiry, then neither lists nor finds it', async () => {
      const start = clock.now();
      const short = session(start, start + HOUR);
      const long = session(start + 1, start + 2 * HOUR);
      await store.create(short, { max: 5, policy: 'evict-oldest' });
      await store.create(long, { max: 5, policy: 'evict-oldest' });

      clock.advance(HOUR - 1);
      expect((await store.list(userId)).map((s) => s.id)).toEqual([long.id, short.id]);
      expect((await store.check(userId, short.id, clock.now(), 60_000)).found).toBe(true);

      clock.advance(2);
      expect((await store.list(userId)).map((s) => s.id)).toEqual([long.id]);
      expect((await store.check(userId, short.id, clock.now(), 60_000)).found).toBe(false);
      expect(await store.revoke(userId, short.id)).toBe(false);
    });

    it('does not count expired sessions against the cap, report them evicted, or count them as revoked', async () => {
      const start = clock.now();
      const expiring = [session(start, start + HOUR), session(start + 1, start + HOUR)];
      const lasting = session(start + 2, start + 3 * HOUR);
      for (const s of [...expiring, lasting]) await store.create(s, { max: 3, policy: 'evict-oldest' });

      clock.advance(HOUR + 1);
      const next = session(clock.now(), clock.now() + HOUR);
      expect(await store.create(next, { max: 2, policy: 'reject' })).toEqual({ status: 'created', evictedSessionIds: [] });
      expect((await store.list(userId)).map((s) => s.id)).toEqual([next.id, lasting.id]);
      expect(await store.revokeAll(userId)).toBe(2);
    });

    it('forgets a revocation once a token of that session can no longer be alive', async () => {
      const start = clock.now();
      const revoked = session(start, start + HOUR);
      await store.create(revoked, { max: 5, policy: 'evict-oldest' });
      await store.revokeAll(userId);

      clock.advance(REVOCATION_MEMORY_MS - 1);
      expect(await store.check(userId, revoked.id, clock.now(), 60_000)).toMatchObject({ revoked: true, allRevokedAt: start });
      clock.advance(1);
      expect(await store.check(userId, revoked.id, clock.now(), 60_000)).toMatchObject({ revoked: false, allRevokedAt: undefined });
    });

    it('accepts a recorded session again once the earlier one with the same id has expired', async () => {
      const start = clock.now();
      const first = session(start, start + HOUR);
      await store.create(first, { max: 5, policy: 'evict-oldest' });

      clock.advance(HOUR + 1);
      const again = { ...first, createdAt: clock.now(), expiresAt: clock.now() + HOUR, lastSeenAt: clock.now() };
      expect(await store.record(again)).toBe(true);
      expect(await store.list(userId)).toStrictEqual([again]);
    });
  });
});

describe('Redis stores on the cluster', () => {
  let redis: Cluster;

  beforeAll(() => {
    redis = clusterClient();
  });

  afterAll(async () => {
    await redis.quit();
  });

  describeUserStoreContract('Redis Cluster', async () => userStoreOnly(redisStores(redis)), { legacyUsers: true, interruptedChanges: true });
  describeSessionStoreContract('Redis Cluster', async () => redisStores(redis));
});

describe('Redis stores on a single node', () => {
  let redis: Redis;

  beforeAll(() => {
    redis = singleClient();
  });

  afterAll(async () => {
    await redis.quit();
  });

  describeUserStoreContract('Redis single node', async () => userStoreOnly(redisStores(redis)), { legacyUsers: true, interruptedChanges: true });
  describeSessionStoreContract('Redis single node', async () => redisStores(redis));
});
