import type { Logger } from 'pino';
import type { Clock } from '@graphql-auth-service/subgraph/clock';
import type { SessionConfig } from '@graphql-auth-service/subgraph/sessions/session-config';
import { UnauthenticatedError } from '@graphql-auth-service/subgraph/errors';
import type { SessionStore } from '../sessions/session-store';
import { issueRefreshToken, parseRefreshToken } from '../tokens/refresh-token';
import type { AccountService } from '../users/account-service';
import type { AccessTokenIssuer } from './access-token-issuer';
import type { AuthResult } from './auth-result';

export interface RefreshDeps {
  readonly accounts: AccountService;
  readonly sessions: SessionStore;
  readonly issueAccessToken: AccessTokenIssuer;
  readonly clock: Clock;
  readonly sessionConfig: SessionConfig;
  readonly logger: Logger;
}

/** Trades a refresh token for a new access token and a new refresh token; the old one dies. */
export type Refresh = (refreshToken: string) => Promise<AuthResult>;

export function createRefresh({ accounts, sessions, issueAccessToken, clock, sessionConfig, logger }: RefreshDeps): Refresh {
  return async (refreshToken) => {
    const presented = parseRefreshToken(refreshToken);
    if (!presented) throw invalidRefreshToken('malformed');
    const { userId, sessionId } = presented;
    const next = issueRefreshToken(userId, sessionId);
    const now = clock.now();
    const outcome = await sessions.rotateRefresh(userId, sessionId, {
      presentedHash: presented.hash,
      nextHash: next.hash,
      nowMs: now,
      idleTtlMs: sessionConfig.idleTtlMs,
    });
    if (outcome.status === 'reused') {
      logger.warn({ userId, sessionId }, 'refresh token reused: session revoked (a copy of the token is in other hands)');
      throw invalidRefreshToken('reused');
    }
    if (outcome.status === 'unknown') throw invalidRefreshToken('unknown');

    const user = await accounts.findById(userId);
    if (!user || user.disabled) {
      await sessions.revoke(userId, sessionId);
      throw invalidRefreshToken(user ? 'account disabled' : 'no account');
    }
    return {
      ...issueAccessToken(outcome.session, user.authorities, now),
      refreshToken: next.token,
      session: outcome.session,
      user,
      evictedSessions: 0,
    };
  };
}

function invalidRefreshToken(reason: string): UnauthenticatedError {
  return new UnauthenticatedError('Invalid or expired refresh token: log in again', { logReason: reason });
}
