import type { RequestMetadata } from '@graphql-auth-service/subgraph/auth/request-authenticator';
import { BadUserInputError } from '@graphql-auth-service/subgraph/errors';
import type { LoginThrottle } from '../brute-force/login-throttle';
import type { CredentialProvider } from '../credentials/credential-provider';
import type { SecondFactorCheck } from '../second-factors/second-factor-check';
import type { AuthResult } from './auth-result';
import type { StartSession } from './start-session';

export interface LoginDeps {
  readonly credentials: CredentialProvider;
  readonly throttle: LoginThrottle;
  readonly secondFactor: SecondFactorCheck;
  readonly startSession: StartSession;
}

export interface LoginAttempt {
  readonly username: string;
  readonly password: string;
  /** A code of the account's authenticator app, or a recovery code; needed when the account has a second factor. */
  readonly otp?: string;
}

const MAX_CREDENTIAL_LENGTH = 1_024;

/**
 * Password and, for an account that has one, second factor, both under brute-force
 * protection (a wrong code counts like a wrong password); then a capped session and a
 * token pair bound to it.
 */
export type Login = (attempt: LoginAttempt, metadata: RequestMetadata) => Promise<AuthResult>;

export function createLogin({ credentials, throttle, secondFactor, startSession }: LoginDeps): Login {
  return async ({ username, password, otp }, metadata) => {
    if (username.length === 0 || password.length === 0) {
      throw new BadUserInputError('Username and password are required');
    }
    if (username.length > MAX_CREDENTIAL_LENGTH || password.length > MAX_CREDENTIAL_LENGTH || (otp?.length ?? 0) > MAX_CREDENTIAL_LENGTH) {
      throw new BadUserInputError(`Username, password and code must be at most ${MAX_CREDENTIAL_LENGTH} characters`);
    }
    const { user, amr } = await throttle.guard(username, metadata.ip, async () => {
      const verified = await credentials.verify(username, password);
      return { user: verified, amr: ['pwd' as const, ...(await secondFactor(verified, otp))] };
    });
    return startSession(user, amr, metadata);
  };
}
