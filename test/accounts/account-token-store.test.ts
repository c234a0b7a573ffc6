import type { Cluster } from 'ioredis';
import { createRedisKeys } from '@graphql-auth-service/subgraph/redis/keys';
import { accountTokenHash } from '../../src/accounts/account-token';
import { createMemoryAccountTokenStore } from '../../src/accounts/memory-account-token-store';
import { createRedisAccountTokenStore } from '../../src/accounts/redis-account-token-store';
import { ManualClock } from '../support/manual-clock';
import { clusterClient, keysWithPrefix, uniqueKeyPrefix } from '../support/test-env';
import { describeAccountTokenStoreContract } from './account-token-store.contract';

const MINUTE = 60_000;
const nothingToClose = async (): Promise<void> => undefined;

describeAccountTokenStoreContract('in-memory', async () => ({ store: createMemoryAccountTokenStore(new ManualClock(Date.now())), close: nothingToClose }));

describe('on the Redis Cluster', () => {
  let redis: Cluster;
  beforeAll(() => {
    redis = clusterClient();
  });
  afterAll(() => redis.quit());

  describeAccountTokenStoreContract('Redis', async () => ({
    store: createRedisAccountTokenStore(redis, createRedisKeys(uniqueKeyPrefix())),
    close: nothingToClose,
  }));

  it('keeps only the hash: neither key names nor values hold the token, and the key expires with it', async () => {
    const prefix = uniqueKeyPrefix();
    const store = createRedisAccountTokenStore(redis, createRedisKeys(prefix));
    const token = await store.issue('password-reset', { userId: 'u-1' }, 30 * MINUTE);
    const stored = await keysWithPrefix(redis, prefix);
    expect(stored).toEqual([`${prefix}account-token:password-reset:${accountTokenHash(token)}`]);
    expect(await redis.get(stored[0])).toBe('{"userId":"u-1"}');
    const ttl = await redis.pttl(stored[0]);
    expect(ttl).toBeGreaterThan(29 * MINUTE);
    expect(ttl).toBeLessThanOrEqual(30 * MINUTE);
  });
});

describe('in memory, by the injected clock', () => {
  it('refuses a token once its lifetime has passed', async () => {
    const clock = new ManualClock(Date.now());
    const store = createMemoryAccountTokenStore(clock);
    const token = await store.issue('verify-email', { userId: 'u-1' }, 30 * MINUTE);
    const kept = await store.issue('verify-email', { userId: 'u-2' }, 31 * MINUTE);
    clock.advance(30 * MINUTE);
    expect(await store.consume('verify-email', token)).toBeUndefined();
    expect(await store.consume('verify-email', kept)).toEqual({ userId: 'u-2' });
  });
});
