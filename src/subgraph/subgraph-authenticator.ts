import { bearerTokenOf } from '../auth/bearer-token';
import { createRequestAuthenticator, type RequestAuthenticator } from '../auth/request-authenticator';
import { createSessionCheckCounter } from '../auth/session-check-stats';
import { type Clock, systemClock } from '../clock';
import type { RedisClient } from '../redis/client';
import { createRedisKeys } from '../redis/keys';
import { createRedisSessionChecker } from '../sessions/redis-session-checker';
import { readUnverifiedJws } from '../tokens/unverified-jws';
import { MAX_TOKEN_LENGTH } from '../tokens/verify';
import { createKeyRing, hmacKey, type VerificationKeys } from '../tokens/key-ring';
import { createJwksKeySource, type JwksKeySource } from './jwks-key-source';

/** Where a subgraph gets the keys that verify the auth service's tokens. */
export type SubgraphKeys =
  | { readonly jwksUrl: string }
  /** The auth service's JWT_SECRET (HS256 deployments). */
  | { readonly secret: string }
  | { readonly keys: VerificationKeys };

export interface SubgraphSessionCheck {
  /** A client on the auth service's Redis Cluster (or node). */
  readonly redis: RedisClient;
  /** The auth service's REDIS_KEY_PREFIX; default `auth:`. */
  readonly keyPrefix?: string;
}

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
 * UnauthenticatedError; Redis or the JWKS unreachable → ServiceUnavailableError.
 */
export function createSubgraphAuthenticator(options: SubgraphAuthOptions): RequestAuthenticator {
  const clock = options.clock ?? systemClock;
  const { keys, jwks } = verificationKeys(options.keys);
  // A subgraph only reads sessions: it never creates, records or revokes one.
  const sessions =
    options.sessions === false
      ? undefined
      : createRedisSessionChecker(options.sessions.redis, createRedisKeys(options.sessions.keyPrefix ?? 'auth:'));
  const authenticate = createRequestAuthenticator({
    keyRing: keys,
    audience: { issuer: options.issuer, audience: options.audience },
    sessions,
    clock,
    mode: sessions ? 'enforce' : 'off',
    touchIntervalMs: TOUCH_INTERVAL_MS,
    counter: createSessionCheckCounter(),
  });
  if (!jwks) return authenticate;
  return async (authorization, metadata) => {
    const kid = authorization === undefined ? undefined : kidOf(authorization);
    if (kid !== undefined) await jwks.resolve(kid);
    return authenticate(authorization, metadata);
  };
}

function verificationKeys(keys: SubgraphKeys): { keys: VerificationKeys; jwks?: JwksKeySource } {
  if ('jwksUrl' in keys) {
    const jwks = createJwksKeySource({ url: keys.jwksUrl });
    return { keys: jwks, jwks };
  }
  if ('secret' in keys) return { keys: createKeyRing(hmacKey(Buffer.from(keys.secret, 'utf8'))) };
  return { keys: keys.keys };
}

/** The kid of a Bearer token's header, read before verification only to fetch its key. */
/** The kid to fetch keys for, read by the same strict parser verification uses; undefined for any token it refuses. */
function kidOf(authorization: string): string | undefined {
  const token = bearerTokenOf(authorization);
  if (!token || token.length > MAX_TOKEN_LENGTH) return undefined;
  const unverified = readUnverifiedJws(token);
  const kid = unverified.ok ? unverified.header.kid : undefined;
  return typeof kid === 'string' && kid.length <= 64 ? kid : undefined;
}
