import type { Clock } from '@graphql-auth-service/subgraph/clock';
import type { AccountTokenStore } from '../accounts/account-token-store';
import { createMemoryAccountTokenStore } from '../accounts/memory-account-token-store';
import { createRedisAccountTokenStore } from '../accounts/redis-account-token-store';
import type { FailureCounterStore } from '../brute-force/failure-counter-store';
import { createMemoryFailureCounterStore } from '../brute-force/memory-failure-counter-store';
import { createRedisFailureCounterStore } from '../brute-force/redis-failure-counter-store';
import { createMemoryRemoteIdentityStore } from '../credentials/memory-remote-identity-store';
import { createRedisRemoteIdentityStore } from '../credentials/redis-remote-identity-store';
import type { RemoteIdentityStore } from '../credentials/remote-identity-store';
import type { RedisClient } from '@graphql-auth-service/subgraph/redis/client';
import { createRedisKeys } from '@graphql-auth-service/subgraph/redis/keys';
import type { Durability } from '../redis/replication';
import { createMemorySessionStore } from '../sessions/memory-session-store';
import { createRedisSessionStore } from '../sessions/redis-session-store';
import type { SessionStore } from '../sessions/session-store';
import { createMemoryUserStore } from '../users/memory-user-store';
import { createRedisUserStore } from '../users/redis-user-store';
import type { UserStore } from '../users/user-store';
import { createMemorySecondFactorStore } from '../second-factors/memory-second-factor-store';
import { createRedisSecondFactorStore } from '../second-factors/redis-second-factor-store';
import type { SecondFactorStore } from '../second-factors/second-factor-store';

/** Every store of the service, on one backend. */
export interface Stores {
  readonly users: UserStore;
  readonly sessionStore: SessionStore;
  readonly failureCounters: FailureCounterStore;
  readonly remoteIdentities: RemoteIdentityStore;
  /** The single-use tokens of mailed links (verification, reset, invitation, new address) and of passkey ceremonies. */
  readonly accountTokens: AccountTokenStore;
  /** Authenticator apps' sealed secrets, recovery code hashes, passkeys. */
  readonly secondFactors: SecondFactorStore;
}

export interface StoreSettings {
  readonly keyPrefix: string;
  readonly clock: Clock;
  /** How long a revocation is remembered for rollout mode: one access-token lifetime. */
  readonly revocationMemoryMs: number;
  readonly durability: Durability;
  /** The session check reads revocation marks (rollout mode); enforce mode refuses a missing session without them. */
  readonly revocationMarksOnCheck: boolean;
}

/** The stores on Redis when a client is given, else in this process's memory with the same semantics. */
export function createStores(redis: RedisClient | undefined, settings: StoreSettings): Stores {
  const { keyPrefix, clock, revocationMemoryMs, durability, revocationMarksOnCheck } = settings;
  if (!redis) {
    const users = createMemoryUserStore();
    const lookupAccount = async (id: string) => {
      const user = await users.findById(id);
      return user && { username: user.username, authorities: user.authorities, disabled: user.disabled, createdAt: user.createdAt };
    };
    return {
      users,
      sessionStore: createMemorySessionStore({ clock, lookupAccount, revocationMemoryMs }),
      failureCounters: createMemoryFailureCounterStore(),
      remoteIdentities: createMemoryRemoteIdentityStore(),
      accountTokens: createMemoryAccountTokenStore(clock),
      secondFactors: createMemorySecondFactorStore(),
    };
  }
  const keys = createRedisKeys(keyPrefix);
  return {
    users: createRedisUserStore({ redis, keys, durability }),
    sessionStore: createRedisSessionStore({ redis, keys, clock, revocationMemoryMs, durability, revocationMarksOnCheck }),
    failureCounters: createRedisFailureCounterStore(redis, keys),
    remoteIdentities: createRedisRemoteIdentityStore(redis, keys),
    accountTokens: createRedisAccountTokenStore(redis, keys),
    secondFactors: createRedisSecondFactorStore({ redis, keys, durability }),
  };
}
