import { generateRegistrationOptions, type PublicKeyCredentialCreationOptionsJSON, type RegistrationResponseJSON, verifyRegistrationResponse } from '@simplewebauthn/server';
import type { Principal } from '@graphql-auth-service/subgraph/auth/principal';
import type { Clock } from '@graphql-auth-service/subgraph/clock';
import { AuthServiceError, BadUserInputError } from '@graphql-auth-service/subgraph/errors';
import type { AccountTokenStore } from '../accounts/account-token-store';
import type { SecurityNotice } from '../accounts/security-notice';
import type { UserStore } from '../users/user-store';
import { assertMayChangeFactors } from './factor-change-guard';
import { passkeysNotConfigured, unverifiedRegistration } from './passkey-errors';
import type { PasskeySettings } from './second-factors-config';
import type { SecondFactorStore } from './second-factor-store';
import { isAllowedOrigin, readClientData, userHandleOf } from './webauthn-response';

/** How long the browser and the user have to make the passkey. */
export const PASSKEY_CEREMONY_TTL_MS = 5 * 60_000;
/** Passkeys one account may hold: enough for every device, bounded so the record stays small. */
export const MAX_PASSKEYS = 20;
const MAX_NAME_LENGTH = 64;

export interface PasskeyRegistrationDeps {
  /** Undefined: passkeys are off (production without WEBAUTHN_RP_ID). */
  readonly settings: PasskeySettings | undefined;
  readonly store: SecondFactorStore;
  /** Holds each ceremony's challenge, single use with a TTL. */
  readonly challenges: AccountTokenStore;
  readonly users: Pick<UserStore, 'findById'>;
  readonly clock: Clock;
  readonly recentSignInMs: number;
  /** Tells the owner a passkey was added or removed. */
  readonly notify: SecurityNotice;
}

export type PasskeyRegistration = ReturnType<typeof createPasskeyRegistration>;

/**
 * Adding and removing the caller's passkeys. A passkey is made discoverable (the
 * browser finds it without a username) and with user verification (a PIN or a
 * biometric), so it can stand alone as a sign-in: @simplewebauthn/server checks the
 * attestation, origin, relying party and flags.
 */
export function createPasskeyRegistration(deps: PasskeyRegistrationDeps) {
  const { store, challenges, users, clock, notify } = deps;

  function requireSettings(): PasskeySettings {
    if (!deps.settings) throw passkeysNotConfigured();
    return deps.settings;
  }

  return {
    async options(caller: Principal): Promise<PublicKeyCredentialCreationOptionsJSON> {
      const settings = requireSettings();
      const factors = await store.read(caller.userId);
      assertMayChangeFactors(caller, factors, clock.now(), deps.recentSignInMs);
      if (factors.passkeys.length >= MAX_PASSKEYS) {
        throw new BadUserInputError(`An account may have at most ${MAX_PASSKEYS} passkeys: remove one first`);
      }
      const user = await users.findById(caller.userId);
      if (!user) throw new BadUserInputError('No such account');
      const challenge = await challenges.issue('passkey-registration', { userId: caller.userId }, PASSKEY_CEREMONY_TTL_MS);
      return generateRegistrationOptions({
        rpName: settings.rpName,
        rpID: settings.rpId,
        userName: user.username,
        userID: userHandleOf(user.id),
        challenge: new Uint8Array(Buffer.from(challenge, 'base64url')),
        timeout: PASSKEY_CEREMONY_TTL_MS,
        attestationType: 'none',
        excludeCredentials: factors.passkeys.map((passkey) => ({ id: passkey.id, transports: [...passkey.transports] as never })),
        authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
      });
    },

    async register(caller: Principal, response: unknown, name: string | undefined): Promise<void> {
      const settings = requireSettings();
      const label = checkedName(name);
      assertMayChangeFactors(caller, await store.read(caller.userId), clock.now(), deps.recentSignInMs);
      const clientData = readClientData(response);
      if (!clientData) throw unverifiedRegistration('no client data');
      const ceremony = await challenges.consume('passkey-registration', clientData.challenge);
      if (ceremony?.userId !== caller.userId) throw unverifiedRegistration('unknown, used or foreign challenge');
      if (!isAllowedOrigin(settings, clientData.origin)) throw unverifiedRegistration(`origin ${clientData.origin} not allowed`);
      let verification: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
      try {
        verification = await verifyRegistrationResponse({
          response: response as RegistrationResponseJSON,
          expectedChallenge: clientData.challenge,
          expectedOrigin: clientData.origin,
          expectedRPID: settings.rpId,
          requireUserVerification: true,
        });
      } catch (error) {
        if (error instanceof AuthServiceError) throw error;
        throw unverifiedRegistration(error instanceof Error ? error.message : 'verification threw');
      }
      if (!verification.verified) throw unverifiedRegistration('not verified');
      const { credential, credentialDeviceType, credentialBackedUp } = verification.registrationInfo;
      const added = await store.addPasskey(
        caller.userId,
        {
          id: credential.id,
          publicKey: Buffer.from(credential.publicKey).toString('base64url'),
          counter: credential.counter,
          transports: credential.transports ?? [],
          deviceType: credentialDeviceType,
          backedUp: credentialBackedUp,
          ...(label !== undefined && { name: label }),
          createdAt: clock.now(),
        },
        MAX_PASSKEYS,
      );
      if (!added) throw new BadUserInputError(`This passkey is registered already, or the account has ${MAX_PASSKEYS} passkeys`);
      await notify(caller.userId, `A passkey${label === undefined ? '' : ` named "${label}"`} was added to your account.`);
    },

    /** False when the caller has no passkey with that id. */
    async remove(caller: Principal, credentialId: string): Promise<boolean> {
      const factors = await store.read(caller.userId);
      assertMayChangeFactors(caller, factors, clock.now(), deps.recentSignInMs);
      const removed = await store.removePasskey(caller.userId, credentialId);
      if (removed) {
        const name = factors.passkeys.find((passkey) => passkey.id === credentialId)?.name;
        await notify(caller.userId, `A passkey${name === undefined ? '' : ` named "${name}"`} was removed from your account.`);
      }
      return removed;
    },
  };
}

function checkedName(name: string | undefined): string | undefined {
  const trimmed = name?.trim();
  if (trimmed === undefined || trimmed === '') return undefined;
  if (trimmed.length > MAX_NAME_LENGTH || /\p{Cc}/u.test(trimmed)) {
    throw new BadUserInputError(`A passkey's name is at most ${MAX_NAME_LENGTH} characters, without control characters`, { details: { field: 'name' } });
  }
  return trimmed;
}
