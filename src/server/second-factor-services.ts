import type { Logger } from 'pino';
import type { Clock } from '@graphql-auth-service/subgraph/clock';
import type { AccountTokenStore } from '../accounts/account-token-store';
import type { SecurityNotice } from '../accounts/security-notice';
import { createPasskeyAssertion, type PasskeyAssertion } from '../second-factors/passkey-assertion';
import { createLoginChallenges } from '../second-factors/login-challenge';
import { createPasskeyRegistration, PASSKEY_CEREMONY_TTL_MS, type PasskeyRegistration } from '../second-factors/passkey-registration';
import type { SecondFactorsConfig } from '../second-factors/second-factors-config';
import { type AuthenticatorApp, createAuthenticatorApp } from '../second-factors/authenticator-app';
import { createOneTimeCodeCheck } from '../second-factors/one-time-code';
import { createSecretBox } from '../second-factors/secret-box';
import { createSecondFactorCheck, type SecondFactorCheck } from '../second-factors/second-factor-check';
import type { SecondFactorStore } from '../second-factors/second-factor-store';
import type { PasswordGuessGuard } from '../users/account-ports';
import type { UserStore } from '../users/user-store';

export interface SecondFactorServicesDeps {
  readonly config: SecondFactorsConfig;
  readonly store: SecondFactorStore;
  readonly users: UserStore;
  readonly throttle: PasswordGuessGuard;
  /** Passkey ceremonies keep their challenges here, single use. */
  readonly challenges: AccountTokenStore;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly notify: SecurityNotice;
  /** Keys the passkey sign-in challenges' signatures; the same on every instance. */
  readonly serverSecret: string;
}

export interface SecondFactorServices {
  /** Login's step after the password. */
  readonly secondFactorCheck: SecondFactorCheck;
  readonly authenticatorApp: AuthenticatorApp;
  readonly passkeyRegistration: PasskeyRegistration;
  readonly passkeyAssertion: PasskeyAssertion;
}

/** The second factors' parts, sharing one sealing box and one code check. */
export function createSecondFactorServices(deps: SecondFactorServicesDeps): SecondFactorServices {
  const { config, store, users, throttle, challenges, clock, logger, notify } = deps;
  const box = config.sealingKeys && createSecretBox(config.sealingKeys);
  const checkCode = createOneTimeCodeCheck({ store, box, clock });
  return {
    secondFactorCheck: createSecondFactorCheck({ store, checkCode }),
    authenticatorApp: createAuthenticatorApp({
      store,
      box,
      users,
      checkCode,
      throttle,
      clock,
      issuer: config.totpIssuer,
      recentSignInMs: config.recentSignInMs,
      notify,
    }),
    passkeyRegistration: createPasskeyRegistration({
      settings: config.passkeys,
      store,
      challenges,
      users,
      clock,
      recentSignInMs: config.recentSignInMs,
      notify,
    }),
    passkeyAssertion: createPasskeyAssertion({
      settings: config.passkeys,
      store,
      challenges: createLoginChallenges(deps.serverSecret, PASSKEY_CEREMONY_TTL_MS),
      users,
      clock,
      logger,
    }),
  };
}
