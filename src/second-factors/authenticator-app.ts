import type { Principal } from '@graphql-auth-service/subgraph/auth/principal';
import type { Clock } from '@graphql-auth-service/subgraph/clock';
import { BadUserInputError, ForbiddenError } from '@graphql-auth-service/subgraph/errors';
import type { SecurityNotice } from '../accounts/security-notice';
import type { PasswordGuessGuard } from '../users/account-ports';
import type { UserStore } from '../users/user-store';
import { assertMayChangeFactors } from './factor-change-guard';
import type { OneTimeCodeCheck } from './one-time-code';
import { newRecoveryCodes, recoveryCodeHash, normaliseRecoveryCode } from './recovery-codes';
import type { SecretBox } from './secret-box';
import type { SecondFactorStore } from './second-factor-store';
import { matchTotpStep, newTotpSecret, totpUrl } from './totp';

/** How long an enrolment waits for its first code. */
export const TOTP_ENROLMENT_TTL_MS = 10 * 60_000;

export interface TotpEnrolment {
  /** Base32, for typing into an app by hand. */
  readonly secret: string;
  /** What the QR code carries. */
  readonly otpauthUrl: string;
}

export interface AuthenticatorAppDeps {
  readonly store: SecondFactorStore;
  /** Undefined: no sealing key configured, so no app can be set up. */
  readonly box: SecretBox | undefined;
  readonly users: Pick<UserStore, 'findById'>;
  readonly checkCode: OneTimeCodeCheck;
  /** A code typed to confirm or turn off the app is a guess like a password: the login counters count it. */
  readonly throttle: PasswordGuessGuard;
  readonly clock: Clock;
  readonly issuer: string;
  readonly recentSignInMs: number;
  /** Tells the owner a factor was added or removed. */
  readonly notify: SecurityNotice;
}

export type AuthenticatorApp = ReturnType<typeof createAuthenticatorApp>;

/** Setting up, confirming and turning off an authenticator app (TOTP), with its recovery codes. */
export function createAuthenticatorApp(deps: AuthenticatorAppDeps) {
  const { store, box, users, checkCode, throttle, clock, notify } = deps;

  function requireBox(): SecretBox {
    if (box) return box;
    throw new ForbiddenError('Authenticator apps are not available on this server (MFA_ENCRYPTION_KEYS is not set)', {
      details: { reason: 'TOTP_NOT_CONFIGURED' },
    });
  }

  async function usernameOf(userId: string): Promise<string> {
    const user = await users.findById(userId);
    if (!user) throw new BadUserInputError('No such account');
    return user.username;
  }

  /** A wrong code: BAD_USER_INPUT on `code`, counted as a failed guess for the username at this address. */
  async function guardCode<T>(userId: string, clientAddress: string | undefined, accept: () => Promise<T | undefined>): Promise<T> {
    const wrongCode = new BadUserInputError('The code is wrong or was already used', { details: { field: 'code' } });
    return throttle.guard(
      await usernameOf(userId),
      clientAddress,
      async () => {
        const accepted = await accept();
        if (accepted === undefined) throw wrongCode;
        return accepted;
      },
      (error) => error === wrongCode,
    );
  }

  return {
    /** A new secret, pending until confirmed with a code; replaces an unconfirmed one. */
    async enroll(caller: Principal): Promise<TotpEnrolment> {
      const sealer = requireBox();
      const factors = await store.read(caller.userId);
      assertMayChangeFactors(caller, factors, clock.now(), deps.recentSignInMs);
      if (factors.totp) {
        throw new ForbiddenError('An authenticator app is already set up: turn it off first', { details: { reason: 'TOTP_ALREADY_ENABLED' } });
      }
      const secret = newTotpSecret();
      await store.savePendingTotp(caller.userId, { sealedSecret: sealer.seal(secret, caller.userId), expiresAt: clock.now() + TOTP_ENROLMENT_TTL_MS });
      return { secret, otpauthUrl: totpUrl(secret, deps.issuer, await usernameOf(caller.userId)) };
    },

    /** Turns the pending secret on with its first code; answers the recovery codes, shown this once. */
    async confirm(caller: Principal, code: string, clientAddress: string | undefined): Promise<string[]> {
      const sealer = requireBox();
      const factors = await store.read(caller.userId);
      assertMayChangeFactors(caller, factors, clock.now(), deps.recentSignInMs);
      const pending = factors.pendingTotp;
      if (!pending || pending.expiresAt <= clock.now()) {
        throw new BadUserInputError('No authenticator app is being set up (or it took too long): start again with enrollTotp', {
          details: { field: 'code' },
        });
      }
      const codes = newRecoveryCodes();
      const activated = await guardCode(caller.userId, clientAddress, async () => {
        const nowMs = clock.now();
        const step = matchTotpStep(sealer.open(pending.sealedSecret, caller.userId), code, nowMs);
        if (step === undefined) return undefined;
        const recoveryCodeHashes = codes.map((typed) => recoveryCodeHash(normaliseRecoveryCode(typed) as string));
        return store.activateTotp(caller.userId, { sealedSecret: pending.sealedSecret, recoveryCodeHashes, step, nowMs });
      });
      if (!activated) {
        throw new BadUserInputError('The setup was replaced by a newer one or expired: start again with enrollTotp', { details: { field: 'code' } });
      }
      await notify(caller.userId, 'An authenticator app was set up for your account, with new recovery codes.');
      return codes;
    },

    /** Turns the app off, with its recovery codes; needs one of its codes or a recovery code. */
    async disable(caller: Principal, code: string, clientAddress: string | undefined): Promise<void> {
      const factors = await store.read(caller.userId);
      assertMayChangeFactors(caller, factors, clock.now(), deps.recentSignInMs);
      if (!factors.totp) throw new BadUserInputError('No authenticator app is set up', { details: { field: 'code' } });
      await guardCode(caller.userId, clientAddress, async () => ((await checkCode(caller.userId, factors, code)) ? true : undefined));
      if (await store.removeTotp(caller.userId)) {
        await notify(caller.userId, 'The authenticator app of your account was turned off, and its recovery codes with it.');
      }
    },
  };
}
