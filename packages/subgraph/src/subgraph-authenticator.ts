import { createRequestAuthenticator, type RequestAuthenticator } from './auth/request-authenticator';
import { createSessionCheckCounter } from './auth/session-check-stats';
import { type Clock, systemClock } from './clock';
import type { RedisClient } from './redis/client';
import { createRedisKeys } from './redis/keys';
import { createRedisSessionChecker } from './sessions/redis-session-checker';
import type { SessionChecker } from './sessions/session-checker';
import type { PostgresClient } from './postgres/client';
import { createPostgresSessionChecker } from './postgres/postgres-session-checker';
import { createKeyRing, hmacKey, type VerificationKeys } from './tokens/key-ring';
import { createJwksKeySource } from './jwks-key-source';

/** Where a subgraph gets the keys that verify the auth service's tokens. */
export type SubgraphKeys =
  | { readonly jwksUrl: string }
  /** The auth service's JWT_SECRET (HS256 deployments). */
  | { readonly secret: string }
  /** Keys of your own; give them `resolve` if they load asynchronously (as a JWKS does). */
  | { readonly keys: VerificationKeys };

/** Where the auth service keeps its sessions: its Redis, or its PostgreSQL database. */
export type SubgraphSessionCheck =
  | {
      /** A client on the auth service's Redis Cluster (or node). */
      readonly redis: RedisClient;
      /** The auth service's REDIS_KEY_PREFIX; default `auth:`. */
      readonly keyPrefix?: string;
    }
  | {
      /** A `pg` Pool on the auth service's DATABASE_URL; a role that may SELECT and UPDATE its tables suffices. */
      readonly postgres: PostgresClient;
    };

export interface SubgraphAuthOptions {
  /** The auth service's JWT_ISSUER and JWT_AUDIENCE: checked on every token. */
  readonly issuer: string;
  readonly audience: string;
  readonly keys: SubgraphKeys;
  /**
   * The session check that makes a logout count everywhere at once. Required; `false`
   * turns it off, so a revoked token then works here until it expires.
   */
  readonly sessions: SubgraphSessionCheck | false;
  readonly clock?: Clock;
}

const TOUCH_INTERVAL_MS = 60_000;

/**
 * The auth service's own request check, for another subgraph or a gateway: no
 * header → anonymous (undefined); a bad, expired or revoked token →
 * UnauthenticatedError; the session store or the JWKS unreachable → ServiceUnavailableError.
 */
export function createSubgraphAuthenticator(options: SubgraphAuthOptions): RequestAuthenticator {
  const clock = options.clock ?? systemClock;
  // A JWKS source resolves each token's kid before verification (VerificationKeys.resolve).
  const keys = verificationKeys(options.keys);
  // A subgraph only reads sessions: it never creates, records or revokes one.
  const sessions = options.sessions === false ? undefined : sessionChecker(options.sessions);
  return createRequestAuthenticator({
    keyRing: keys,
    audience: { issuer: options.issuer, audience: options.audience },
    sessions,
    clock,
    mode: sessions ? 'enforce' : 'off',
    touchIntervalMs: TOUCH_INTERVAL_MS,
    counter: createSessionCheckCounter(),
  });
}

/** Enforce mode refuses a missing session whatever its marks say: they are not read. */
function sessionChecker(check: SubgraphSessionCheck): SessionChecker {
  if ('postgres' in check) return createPostgresSessionChecker(check.postgres, { revocationMarks: false });
  return createRedisSessionChecker(check.redis, createRedisKeys(check.keyPrefix ?? 'auth:'), { revocationMarks: false });
}

function verificationKeys(keys: SubgraphKeys): VerificationKeys {
  if ('jwksUrl' in keys) return createJwksKeySource({ url: keys.jwksUrl });
  if ('secret' in keys) return createKeyRing(hmacKey(Buffer.from(keys.secret, 'utf8')));
  return keys.keys;
}
