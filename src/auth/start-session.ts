import type { AuthenticationMethod } from '@graphql-auth-service/subgraph/auth/amr';
import type { RequestMetadata } from '@graphql-auth-service/subgraph/auth/request-authenticator';
import type { Clock } from '@graphql-auth-service/subgraph/clock';
import { ForbiddenError } from '@graphql-auth-service/subgraph/errors';
import { newSessionId } from '@graphql-auth-service/subgraph/ids';
import type { NewSession } from '@graphql-auth-service/subgraph/sessions/session';
import type { SessionConfig } from '@graphql-auth-service/subgraph/sessions/session-config';
import type { UserRecord } from '@graphql-auth-service/subgraph/users/user';
import type { SessionStore } from '../sessions/session-store';
import { issueRefreshToken } from '../tokens/refresh-token';
import type { AccessTokenIssuer } from './access-token-issuer';
import type { AuthResult } from './auth-result';

export interface StartSessionDeps {
  readonly sessions: SessionStore;
  readonly issueAccessToken: AccessTokenIssuer;
  readonly clock: Clock;
  readonly sessionConfig: SessionConfig;
  /** REQUIRE_VERIFIED_EMAIL: an account whose address is not verified yet does not sign in. */
  readonly requireVerifiedEmail: boolean;
}

/**
 * The end of every sign-in, whatever proved the user (password and code, passkey): a
 * capped session that remembers how, and a token pair bound to it.
 */
export type StartSession = (user: UserRecord, amr: readonly AuthenticationMethod[], metadata: RequestMetadata) => Promise<AuthResult>;

export function createStartSession({ sessions, issueAccessToken, clock, sessionConfig, requireVerifiedEmail }: StartSessionDeps): StartSession {
  return async (user, amr, metadata) => {
    // Said only to someone who proved who they are, so it tells a guesser nothing.
    if (requireVerifiedEmail && user.email !== undefined && user.emailVerified !== true) {
      throw new ForbiddenError('Confirm your email address first: follow the link in the mail we sent', {
        details: { reason: 'EMAIL_NOT_VERIFIED' },
      });
    }
    const now = clock.now();
    const sessionId = newSessionId();
    const refresh = issueRefreshToken(user.id, sessionId);
    const session: NewSession = {
      id: sessionId,
      userId: user.id,
      createdAt: now,
      expiresAt: now + Math.min(sessionConfig.idleTtlMs, sessionConfig.maxTtlMs),
      absoluteExpiresAt: now + sessionConfig.maxTtlMs,
      lastSeenAt: now,
      refreshTokenHash: refresh.hash,
      amr,
      ...metadata,
    };
    const created = await sessions.create(session, { max: sessionConfig.maxPerUser, policy: sessionConfig.limitPolicy });
    if (created.status === 'limit-reached') {
      throw new ForbiddenError(
        `Session limit reached: this account already has ${sessionConfig.maxPerUser} active sessions; log out of one first`,
        { details: { reason: 'SESSION_LIMIT_REACHED', maxSessions: sessionConfig.maxPerUser } },
      );
    }
    const { refreshTokenHash: _hash, ...record } = session;
    return {
      ...issueAccessToken(record, user.authorities, now),
      refreshToken: refresh.token,
      session: record,
      user,
      evictedSessions: created.evictedSessionIds.length,
    };
  };
}
