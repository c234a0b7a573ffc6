import type { RedisClient } from '@graphql-auth-service/subgraph/redis/client';
import type { RedisKeys } from '@graphql-auth-service/subgraph/redis/keys';
import { failClosed } from '@graphql-auth-service/subgraph/redis/unavailable';
import { accountTokenHash, isAccountTokenShaped, newAccountToken } from './account-token';
import type { AccountTokenPayload, AccountTokenStore } from './account-token-store';

/**
 * One string key per token, named by its hash, holding the payload as JSON, expiring with
 * the token. GETDEL reads and removes it in one step: single use needs nothing more.
 */
export function createRedisAccountTokenStore(redis: RedisClient, keys: RedisKeys): AccountTokenStore {
  return {
    async issue(purpose, payload, ttlMs) {
      const token = newAccountToken();
      await failClosed(() => redis.set(keys.accountToken(purpose, accountTokenHash(token)), JSON.stringify(payload), 'PX', ttlMs));
      return token;
    },
    async peek(purpose, token) {
      if (!isAccountTokenShaped(token)) return undefined;
      return payloadOf(await failClosed(() => redis.get(keys.accountToken(purpose, accountTokenHash(token)))));
    },
    async consume(purpose, token) {
      if (!isAccountTokenShaped(token)) return undefined;
      return payloadOf(await failClosed(() => redis.getdel(keys.accountToken(purpose, accountTokenHash(token)))));
    },
  };
}

function payloadOf(stored: string | null): AccountTokenPayload | undefined {
  return stored === null ? undefined : (JSON.parse(stored) as AccountTokenPayload);
}
