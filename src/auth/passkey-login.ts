import type { RequestMetadata } from '@graphql-auth-service/subgraph/auth/request-authenticator';
import type { PasskeyAssertion } from '../second-factors/passkey-assertion';
import type { AuthResult } from './auth-result';
import type { StartSession } from './start-session';

/** A passkey's signature instead of a password: the session it starts says `hwk` or `swk`. */
export type PasskeyLogin = (response: unknown, metadata: RequestMetadata) => Promise<AuthResult>;

export function createPasskeyLogin(assertion: Pick<PasskeyAssertion, 'verify'>, startSession: StartSession): PasskeyLogin {
  return async (response, metadata) => {
    const { user, amr } = await assertion.verify(response);
    return startSession(user, amr, metadata);
  };
}
