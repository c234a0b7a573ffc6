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
import type { Pool } from 'pg';
import { createPostgresAccountTokenStore } from '../accounts/postgres-account-token-store';
import { createPostgresFailureCounterStore } from '../brute-force/postgres-failure-counter-store';
import { createPostgresRemoteIdentityStore } from '../credentials/postgres-remote-identity-store';
import { createPostgresSecondFactorStore } from '../second-factors/postgres-second-factor-store';
import { createPostgresSessionStore } from '../sessions/postgres-session-store';
import { createPostgresUserStore } from '../users/postgres-user-store';

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

/** The one backend every store lives on: a connection to it, or this process's memory. */
export type StoreBackend =
  | { readonly kind: 'memory' }
  | { readonly kind: 'redis'; readonly redis: RedisClient }
  | { readonly kind: 'postgres'; readonly postgres: Pool };

/** Every store on the given backend, each with the same semantics as on the others (the contract tests hold them to it). */
export function createStores(backend: StoreBackend, settings: StoreSettings): Stores {
  const { keyPrefix, clock, revocationMemoryMs, durability, revocationMarksOnCheck } = settings;
  if (backend.kind === 'postgres') {
    const { postgres } = backend;
    return {
      users: createPostgresUserStore({ postgres }),
      sessionStore: createPostgresSessionStore({ postgres, clock, revocationMemoryMs, revocationMarksOnCheck }),
      failureCounters: createPostgresFailureCounterStore({ postgres }),
      remoteIdentities: createPostgresRemoteIdentityStore({ postgres }),
      accountTokens: createPostgresAccountTokenStore({ postgres, clock }),
      secondFactors: createPostgresSecondFactorStore({ postgres }),
    };
  }
  if (backend.kind === 'memory') {
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
  const { redis } = backend;
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
