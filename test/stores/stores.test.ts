import type { Cluster, Redis } from 'ioredis';
import { type Clock, systemClock } from '@graphql-auth-service/subgraph/clock';
import type { RedisClient } from '@graphql-auth-service/subgraph/redis/client';
import { createRedisKeys } from '@graphql-auth-service/subgraph/redis/keys';
import { createMemorySessionStore } from '../../src/sessions/memory-session-store';
import { createRedisSessionStore } from '../../src/sessions/redis-session-store';
import { createMemoryUserStore } from '../../src/users/memory-user-store';
import { createRedisUserStore } from '../../src/users/redis-user-store';
import type { UserRecord } from '@graphql-auth-service/subgraph/users/user';
import { toHash } from '@graphql-auth-service/subgraph/users/user-hash';
import { ManualClock } from '../support/manual-clock';
import { clusterClient, singleClient, TEST_DURABILITY, uniqueKeyPrefix } from '../support/test-env';
import { describeSessionStoreContract, type SessionStoreUnderTest } from './session-store.contract';
import { describeSessionExpiryByClock, REVOCATION_MEMORY_MS } from './session-expiry.contract';
import { describeUserStoreContract, type UserStoreUnderTest } from './user-store.contract';


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

  describeSessionExpiryByClock('in-memory', async (clock) => ({ store: memoryStores(clock).store, close: nothingToClose }));
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
