import type { RedisClient } from '../redis/client';
import type { RedisKeys } from '../redis/keys';
import { failClosed } from '../redis/unavailable';
import type { RemoteIdentityStore } from './remote-identity-store';

/** One key per remote user holding its local id, claimed with SET NX like a username. */
export function createRedisRemoteIdentityStore(redis: RedisClient, keys: RedisKeys): RemoteIdentityStore {
  return {
    async find(remoteId) {
      return (await failClosed(() => redis.get(keys.remoteIdentity(remoteId)))) ?? undefined;
    },
    async claim(remoteId, userId) {
      const key = keys.remoteIdentity(remoteId);
      const claimed = await failClosed(() => redis.set(key, userId, 'NX'));
      if (claimed === 'OK') return userId;
      const holder = await failClosed(() => redis.get(key));
      return holder ?? userId;
    },
  };
}
