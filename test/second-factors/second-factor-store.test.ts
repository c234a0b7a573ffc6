import type { Cluster } from 'ioredis';
import { newUserId } from '@graphql-auth-service/subgraph/ids';
import { createRedisKeys } from '@graphql-auth-service/subgraph/redis/keys';
import { createMemorySecondFactorStore } from '../../src/second-factors/memory-second-factor-store';
import { createRedisSecondFactorStore } from '../../src/second-factors/redis-second-factor-store';
import { clusterClient, keysWithPrefix, TEST_DURABILITY, uniqueKeyPrefix } from '../support/test-env';
import { describeSecondFactorStoreContract } from './second-factor-store.contract';

const nothingToClose = async (): Promise<void> => undefined;

describeSecondFactorStoreContract('in-memory', async () => ({ store: createMemorySecondFactorStore(), close: nothingToClose }));

describe('on the Redis Cluster', () => {
  let redis: Cluster;
  beforeAll(() => {
    redis = clusterClient();
  });
  afterAll(() => redis.quit());

  describeSecondFactorStoreContract('Redis', async () => ({
    store: createRedisSecondFactorStore({ redis, keys: createRedisKeys(uniqueKeyPrefix()), durability: TEST_DURABILITY }),
    close: nothingToClose,
  }));

  it("keeps all of a user's factors in one key on the user's slot, and removeAll leaves no key behind", async () => {
    const prefix = uniqueKeyPrefix();
    const keys = createRedisKeys(prefix);
    const store = createRedisSecondFactorStore({ redis, keys, durability: TEST_DURABILITY });
    const now = Date.now();
    const userId = newUserId(now);
    await store.savePendingTotp(userId, { sealedSecret: 'sealed', expiresAt: now + 60_000 });
    await store.activateTotp(userId, { sealedSecret: 'sealed', recoveryCodeHashes: ['rc-1', 'rc-2'], step: 1, nowMs: now });
    const passkey = { id: 'pk', publicKey: 'key', counter: 0, transports: [], deviceType: 'singleDevice', backedUp: false, createdAt: now } as const;
    await store.addPasskey(userId, passkey, 5);

    expect(await keysWithPrefix(redis, prefix)).toEqual([keys.secondFactors(userId)]);
    expect(keys.secondFactors(userId)).toContain(keys.userTag(userId));

    expect(await store.removeAll(userId)).toBe(2);
    expect(await keysWithPrefix(redis, prefix)).toEqual([]);
  });
});
