import type { LoginThrottle } from '../brute-force/login-throttle';
import type { Clock } from '@graphql-auth-service/subgraph/clock';
import type { SessionConfig } from '@graphql-auth-service/subgraph/sessions/session-config';
import { BadUserInputError, ForbiddenError } from '@graphql-auth-service/subgraph/errors';
import { newSessionId } from '@graphql-auth-service/subgraph/ids';
import type { NewSession } from '@graphql-auth-service/subgraph/sessions/session';
import type { SessionStore } from '../sessions/session-store';
import { issueRefreshToken } from '../tokens/refresh-token';
import type { CredentialProvider } from '../credentials/credential-provider';
import type { AccessTokenIssuer } from './access-token-issuer';
import type { AuthResult } from './auth-result';
import type { RequestMetadata } from '@graphql-auth-service/subgraph/auth/request-authenticator';

export interface LoginDeps {
  readonly credentials: CredentialProvider;
  readonly throttle: LoginThrottle;
  readonly sessions: SessionStore;
  readonly issueAccessToken: AccessTokenIssuer;
  readonly clock: Clock;
  readonly sessionConfig: SessionConfig;
  /** REQUIRE_VERIFIED_EMAIL: an account whose address is not verified yet does not log in. */
  readonly requireVerifiedEmail: boolean;
}

const MAX_CREDENTIAL_LENGTH = 1_024;

/** Password check (under brute-force protection), then a capped session, then a token pair bound to that session. */
export type Login = (username: string, password: string, metadata: RequestMetadata) => Promise<AuthResult>;

export function createLogin(deps: LoginDeps): Login {
  const { credentials, throttle, sessions, issueAccessToken, clock, sessionConfig, requireVerifiedEmail } = deps;

  return async (username, password, metadata) => {
    if (username.length === 0 || password.length === 0) {
      throw new BadUserInputError('Username and password are required');
    }
    if (username.length > MAX_CREDENTIAL_LENGTH || password.length > MAX_CREDENTIAL_LENGTH) {
      throw new BadUserInputError(`Username and password must be at most ${MAX_CREDENTIAL_LENGTH} characters`);
    }
    const user = await throttle.guard(username, metadata.ip, () => credentials.verify(username, password));
    // Said only to someone who gave the right password, so it tells a guesser nothing.
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
      ...metadata,
    };
    const created = await sessions.create(session, {
      max: sessionConfig.maxPerUser,
      policy: sessionConfig.limitPolicy,
    });
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
