import { createMemoryFailureCounterStore } from '../../src/brute-force/memory-failure-counter-store';
import { createRedisFailureCounterStore } from '../../src/brute-force/redis-failure-counter-store';
import { createRedisKeys } from '@graphql-auth-service/subgraph/redis/keys';
import { clusterClient, singleClient, uniqueKeyPrefix } from '../support/test-env';
import { describeFailureCounterStoreContract } from './failure-counter-store.contract';

describeFailureCounterStoreContract('in-memory', async () => ({
  store: createMemoryFailureCounterStore(),
  close: async () => undefined,
}));

describeFailureCounterStoreContract('Redis Cluster', async () => {
  const redis = clusterClient();
  return { store: createRedisFailureCounterStore(redis, createRedisKeys(uniqueKeyPrefix())), close: async () => void redis.disconnect() };
});

describeFailureCounterStoreContract('single Redis', async () => {
  const redis = singleClient();
  return { store: createRedisFailureCounterStore(redis, createRedisKeys(uniqueKeyPrefix())), close: async () => void redis.disconnect() };
});
