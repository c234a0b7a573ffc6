import type { Clock } from '../clock';
import type { SessionCheckMode } from '../sessions/session-config';
import { UnauthenticatedError } from '../errors';
import { isSessionId, isUserId } from '../ids';
import type { SessionChecker, SessionRecorder } from '../sessions/session-checker';
import type { AccessTokenClaims, TokenAudience } from '../tokens/claims';
import type { VerificationKeys } from '../tokens/key-ring';
import { createVerifiedTokenCache } from '../tokens/verified-token-cache';
import { bearerTokenOf } from './bearer-token';
import type { AccountStatus } from '../users/user';
import type { Principal } from './principal';
import type { SessionCheckCounter } from './session-check-stats';

export interface RequestAuthenticatorDeps {
  readonly keyRing: VerificationKeys;
  readonly audience: TokenAudience;
  /** Needed unless mode is 'off'; rollout mode (`record`) also writes the sessions it has not seen. */
  readonly sessions: (SessionChecker & Partial<SessionRecorder>) | undefined;
  readonly clock: Clock;
  readonly mode: SessionCheckMode;
  /** Rollout mode: how long a session recorded from a token lives. */
  readonly sessionTtlMs?: number;
  readonly touchIntervalMs: number;
  readonly counter: SessionCheckCounter;
}

export interface RequestMetadata {
  readonly ip?: string;
  readonly userAgent?: string;
}

/**
 * How a request is checked: no Authorization header → anonymous (undefined); a header that
 * is not a valid, live token → UnauthenticatedError, never a silent downgrade;
 * Redis unreachable → ServiceUnavailableError from the store (fail closed).
 */
export type RequestAuthenticator = (
  authorization: string | undefined,
  metadata: RequestMetadata,
) => Promise<Principal | undefined>;

export function createRequestAuthenticator(deps: RequestAuthenticatorDeps): RequestAuthenticator {
  const { keyRing, audience, clock, mode, counter, sessions } = deps;
  const verifyAccessToken = createVerifiedTokenCache();
  if (mode !== 'off' && !sessions) throw new Error(`SESSION_CHECK=${mode} needs a session store`);
  if (mode === 'record' && (!sessions?.record || deps.sessionTtlMs === undefined)) {
    throw new Error('SESSION_CHECK=record needs a session store that records, and the session lifetime');
  }
  const recordedTtlMs = deps.sessionTtlMs ?? 0;

  async function sessionPrincipal(
    sessions: SessionChecker & Partial<SessionRecorder>,
    claims: AccessTokenClaims,
    metadata: RequestMetadata,
  ): Promise<Principal> {
    const now = clock.now();
    const check = await sessions.check(claims.sub, claims.sid, now, deps.touchIntervalMs);
    if (check.account?.disabled) throw revoked('account disabled');
    // The account's current authorities win over the token's, so a change applies at once.
    const authorities = check.account?.authorities ?? claims.auth;
    if (!check.found) {
      if (mode === 'enforce') throw revoked('session not found');
      // Rollout mode forgives sessions it has not seen, never ones it saw revoked.
      if (check.revoked || (check.allRevokedAt !== undefined && claims.iat * 1000 <= check.allRevokedAt)) {
        throw revoked('session revoked');
      }
      counter.countUnknown();
      await sessions.record?.({
        id: claims.sid,
        userId: claims.sub,
        createdAt: claims.iat * 1000,
        expiresAt: Math.max(claims.exp * 1000, claims.iat * 1000 + recordedTtlMs),
        absoluteExpiresAt: Math.max(claims.exp * 1000, claims.iat * 1000 + recordedTtlMs),
        lastSeenAt: now,
        ...(claims.amr && { amr: claims.amr }),
        ...metadata,
      });
    } else if (mode === 'record') {
      counter.countKnown();
    }
    return principalOf(claims, authorities, check.account);
  }

  return async (authorization, metadata) => {
    if (authorization === undefined) return undefined;
    const token = bearerToken(authorization);
    const claims = await verifyAccessToken(keyRing, audience, token, clock.now());
    // Ids become Redis key names: refuse anything that is not of our own making.
    if (!isUserId(claims.sub) || !isSessionId(claims.sid)) throw revoked('malformed ids');
    if (mode === 'off' || !sessions) return principalOf(claims, claims.auth, undefined);
    return sessionPrincipal(sessions, claims, metadata);
  };
}

function principalOf(claims: AccessTokenClaims, authorities: readonly string[], account: AccountStatus | undefined): Principal {
  return {
    userId: claims.sub,
    sessionId: claims.sid,
    authorities,
    amr: claims.amr ?? [],
    ...(claims.auth_time !== undefined && { authenticatedAt: claims.auth_time * 1000 }),
    ...(account && { account }),
  };
}

function bearerToken(authorization: string): string {
  const token = bearerTokenOf(authorization);
  if (!token) throw new UnauthenticatedError('The Authorization header must be "Bearer <token>"', { logReason: 'bad header' });
  return token;
}

function revoked(reason: string): UnauthenticatedError {
  return new UnauthenticatedError('Invalid or expired token', { logReason: reason });
}
