import type { RedisClient } from '@graphql-auth-service/subgraph/redis/client';
import type { RedisKeys } from '@graphql-auth-service/subgraph/redis/keys';
import { claimKey } from '../redis/claim-key';
import { failClosed } from '@graphql-auth-service/subgraph/redis/unavailable';
import type { RemoteIdentityStore } from './remote-identity-store';

/** One key per remote user holding its local id, claimed with SET NX like a username. */
export function createRedisRemoteIdentityStore(redis: RedisClient, keys: RedisKeys): RemoteIdentityStore {
  return {
    async find(remoteId) {
      return (await failClosed(() => redis.get(keys.remoteIdentity(remoteId)))) ?? undefined;
    },
    async claim(remoteId, userId) {
      return (await claimKey(redis, keys.remoteIdentity(remoteId), userId)).holder;
    },
  };
}
