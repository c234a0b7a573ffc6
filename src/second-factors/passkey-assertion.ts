import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  type PublicKeyCredentialRequestOptionsJSON,
  verifyAuthenticationResponse,
} from '@simplewebauthn/server';
import type { Logger } from 'pino';
import type { AuthenticationMethod } from '@graphql-auth-service/subgraph/auth/amr';
import type { Clock } from '@graphql-auth-service/subgraph/clock';
import { AuthServiceError, UnauthenticatedError } from '@graphql-auth-service/subgraph/errors';
import type { UserRecord } from '@graphql-auth-service/subgraph/users/user';
import type { UserStore } from '../users/user-store';
import { normalizeUsername } from '../users/username';
import type { LoginChallenges } from './login-challenge';
import { passkeysNotConfigured } from './passkey-errors';
import { PASSKEY_CEREMONY_TTL_MS } from './passkey-registration';
import type { PasskeySettings } from './second-factors-config';
import type { SecondFactorStore } from './second-factor-store';
import { isAllowedOrigin, isRecord, readClientData, userIdOfHandle } from './webauthn-response';

export interface PasskeyAssertionDeps {
  readonly settings: PasskeySettings | undefined;
  readonly store: SecondFactorStore;
  /** Signed, self-contained challenges: asking for sign-in options stores nothing. */
  readonly challenges: LoginChallenges;
  readonly users: Pick<UserStore, 'findById'>;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** Who a passkey proved, and how: `hwk` for a key bound to one device, `swk` for a synced one. */
export interface PasskeyProof {
  readonly user: UserRecord;
  readonly amr: readonly AuthenticationMethod[];
}

export type PasskeyAssertion = ReturnType<typeof createPasskeyAssertion>;

const NOT_ACCEPTED = 'This passkey sign-in was not accepted: start again';

/**
 * Signing in with a passkey, without a password. The options never depend on the
 * account (every passkey here is discoverable, so none are listed): asking for them
 * tells nobody whether a username exists or has passkeys, and stores nothing. A
 * username given with them only narrows whose passkey the answer may be.
 */
export function createPasskeyAssertion(deps: PasskeyAssertionDeps) {
  const { store, challenges, users, clock, logger } = deps;

  function requireSettings(): PasskeySettings {
    if (!deps.settings) throw passkeysNotConfigured();
    return deps.settings;
  }

  return {
    async options(username: string | undefined): Promise<PublicKeyCredentialRequestOptionsJSON> {
      const settings = requireSettings();
      const challenge = challenges.issue(username ? normalizeUsername(username) : undefined, clock.now());
      return generateAuthenticationOptions({
        rpID: settings.rpId,
        challenge: new Uint8Array(Buffer.from(challenge, 'base64url')),
        timeout: PASSKEY_CEREMONY_TTL_MS,
        userVerification: 'required',
      });
    },

    /** The account whose passkey signed the challenge; UNAUTHENTICATED for anything else, the reason logged only. */
    async verify(response: unknown): Promise<PasskeyProof> {
      const settings = requireSettings();
      const clientData = readClientData(response);
      if (!clientData || !isRecord(response) || !isRecord(response.response)) throw notAccepted('no client data');
      const ceremony = challenges.read(clientData.challenge, clock.now());
      if (!ceremony) throw notAccepted('forged, altered or expired challenge');
      if (!isAllowedOrigin(settings, clientData.origin)) throw notAccepted(`origin ${clientData.origin} not allowed`);
      const userId = userIdOfHandle(response.response.userHandle);
      const user = userId === undefined ? undefined : await users.findById(userId);
      if (!user) throw notAccepted('no account for the user handle');
      if (!ceremony.allowsUsername(user.username)) throw notAccepted('passkey of another username');
      const passkey = (await store.read(user.id)).passkeys.find((candidate) => candidate.id === response.id);
      if (!passkey) throw notAccepted('passkey not registered (or removed)');

      let verification: Awaited<ReturnType<typeof verifyAuthenticationResponse>>;
      try {
        verification = await verifyAuthenticationResponse({
          response: response as unknown as AuthenticationResponseJSON,
          expectedChallenge: clientData.challenge,
          expectedOrigin: clientData.origin,
          expectedRPID: settings.rpId,
          credential: {
            id: passkey.id,
            publicKey: new Uint8Array(Buffer.from(passkey.publicKey, 'base64url')),
            counter: passkey.counter,
            transports: [...passkey.transports] as never,
          },
          requireUserVerification: true,
        });
      } catch (error) {
        if (error instanceof AuthServiceError) throw error;
        throw notAccepted(error instanceof Error ? error.message : 'verification threw');
      }
      if (!verification.verified) throw notAccepted('signature not verified');
      const use = await store.usePasskey(user.id, passkey.id, verification.authenticationInfo.newCounter, clock.now(), {
        digest: ceremony.digest,
        expiresAt: ceremony.expiresAt,
      });
      if (use === 'challenge-spent') throw notAccepted('challenge spent already: a replayed answer');
      if (use === 'counter-not-increased') {
        logger.warn({ userId: user.id }, 'passkey signature counter did not increase: the authenticator may have been cloned; sign-in refused');
        throw notAccepted('counter did not increase');
      }
      if (use === 'unknown') throw notAccepted('passkey removed meanwhile');
      // Said only to the holder of the passkey, as a password login says it only for the right password.
      if (user.disabled) throw new UnauthenticatedError('This account is disabled', { logReason: 'disabled' });
      return { user, amr: [passkey.deviceType === 'singleDevice' ? 'hwk' : 'swk'] };
    },
  };
}

function notAccepted(logReason: string): UnauthenticatedError {
  return new UnauthenticatedError(NOT_ACCEPTED, { logReason });
}
