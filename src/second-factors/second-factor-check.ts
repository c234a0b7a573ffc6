import type { AuthenticationMethod } from '@graphql-auth-service/subgraph/auth/amr';
import { MfaRequiredError, UnauthenticatedError } from '@graphql-auth-service/subgraph/errors';
import type { UserRecord } from '@graphql-auth-service/subgraph/users/user';
import type { OneTimeCodeCheck } from './one-time-code';
import type { SecondFactorStore } from './second-factor-store';

/** What a second factor adds to a password sign-in's methods: nothing for an account without one. */
export type SecondFactorCheck = (user: UserRecord, otp: string | undefined) => Promise<readonly AuthenticationMethod[]>;

export interface SecondFactorCheckDeps {
  readonly store: SecondFactorStore;
  readonly checkCode: OneTimeCodeCheck;
}

/** The message of a wrong code; a login counts it as a failed attempt, like a wrong password. */
export const WRONG_CODE_MESSAGE = 'The code is wrong or was already used';

/**
 * Login's step after the password: an account with a second factor needs a code
 * (MFA_REQUIRED, no token, without one; UNAUTHENTICATED for a wrong one). The password
 * was right by then, so saying so tells nobody anything they did not prove.
 */
export function createSecondFactorCheck({ store, checkCode }: SecondFactorCheckDeps): SecondFactorCheck {
  return async (user, otp) => {
    const factors = await store.read(user.id);
    const methods = [...(factors.totp ? ['otp'] : []), ...(factors.passkeys.length > 0 ? ['passkey'] : [])];
    if (methods.length === 0) return [];
    if (otp === undefined || otp.trim() === '') {
      throw new MfaRequiredError(
        'This account has a second factor: send a code from the authenticator app (or a recovery code) as otp, or sign in with a passkey',
        { details: { methods } },
      );
    }
    if (!(await checkCode(user.id, factors, otp))) throw new UnauthenticatedError(WRONG_CODE_MESSAGE, { logReason: 'wrong one-time code' });
    return ['otp'];
  };
}
