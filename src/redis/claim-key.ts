import type { RedisClient } from '@graphql-auth-service/subgraph/redis/client';
import { failClosed } from '@graphql-auth-service/subgraph/redis/unavailable';

export interface KeyClaim {
  /** Whether this call set the key. */
  readonly claimed: boolean;
  /** The value the key holds now: ours when claimed, else the earlier holder's. */
  readonly holder: string;
}

/**
 * Claims a key that must have one holder (a username, its look-alike skeleton, a
 * remote identity): SET NX and, when someone was first, who, in one round trip
 * (Redis 7's `SET … NX GET`).
 */
export async function claimKey(redis: RedisClient, key: string, value: string): Promise<KeyClaim> {
  const previous = await failClosed(() => redis.set(key, value, 'NX', 'GET'));
  return previous === null ? { claimed: true, holder: value } : { claimed: false, holder: previous };
}
