import type { Clock } from '../clock';
import type { SessionConfig } from '../config/config';
import { BadUserInputError, ForbiddenError } from '../errors';
import { newSessionId } from '../ids';
import type { SessionRecord } from '../sessions/session';
import type { SessionStore } from '../sessions/session-store';
import type { TokenAudience } from '../tokens/claims';
import type { KeyRing } from '../tokens/key-ring';
import { signAccessToken } from '../tokens/sign';
import type { AccountService } from '../users/account-service';
import type { UserRecord } from '../users/user';
import type { RequestMetadata } from './request-authenticator';

export interface LoginDeps {
  readonly accounts: AccountService;
  readonly sessions: SessionStore;
  readonly keyRing: KeyRing;
  readonly audience: TokenAudience;
  readonly clock: Clock;
  readonly sessionConfig: SessionConfig;
  readonly accessTokenTtlMs: number;
}

export interface LoginResult {
  readonly accessToken: string;
  readonly expiresInSeconds: number;
  readonly session: SessionRecord;
  readonly user: UserRecord;
  readonly evictedSessions: number;
}

const MAX_CREDENTIAL_LENGTH = 1_024;

/** Password check, then a capped session, then a token bound to that session. */
export type Login = (username: string, password: string, metadata: RequestMetadata) => Promise<LoginResult>;

export function createLogin(deps: LoginDeps): Login {
  const { accounts, sessions, keyRing, audience, clock, sessionConfig } = deps;

  return async (username, password, metadata) => {
    if (username.length === 0 || password.length === 0) {
      throw new BadUserInputError('Username and password are required');
    }
    if (username.length > MAX_CREDENTIAL_LENGTH || password.length > MAX_CREDENTIAL_LENGTH) {
      throw new BadUserInputError(`Username and password must be at most ${MAX_CREDENTIAL_LENGTH} characters`);
    }
    const user = await accounts.authenticate(username, password);
    const now = clock.now();
    const session: SessionRecord = {
      id: newSessionId(),
      userId: user.id,
      createdAt: now,
      expiresAt: now + sessionConfig.ttlMs,
      lastSeenAt: now,
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
    const expiresAt = Math.min(now + deps.accessTokenTtlMs, session.expiresAt);
    const { token } = signAccessToken(keyRing, audience, {
      userId: user.id,
      sessionId: session.id,
      authorities: user.authorities,
      issuedAtMs: now,
      expiresAtMs: expiresAt,
    });
    return {
      accessToken: token,
      expiresInSeconds: Math.floor((expiresAt - now) / 1000),
      session,
      user,
      evictedSessions: created.evictedSessionIds.length,
    };
  };
}
