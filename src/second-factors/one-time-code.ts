import type { Clock } from '@graphql-auth-service/subgraph/clock';
import { normaliseRecoveryCode, recoveryCodeHash } from './recovery-codes';
import type { SecretBox } from './secret-box';
import type { SecondFactorRecord, SecondFactorStore } from './second-factor-store';
import { isTotpShaped, matchTotpStep } from './totp';

export interface OneTimeCodeCheckDeps {
  readonly store: SecondFactorStore;
  /** Undefined when no sealing key is configured: then no user can have an app's secret to open. */
  readonly box: SecretBox | undefined;
  readonly clock: Clock;
}

/**
 * Whether `code` is good for this user, spending it: a code of their authenticator app
 * (six digits, one step of drift either way, each step accepted once and never one
 * before the last accepted), or one of their recovery codes (once).
 */
export type OneTimeCodeCheck = (userId: string, factors: SecondFactorRecord, code: string) => Promise<boolean>;

export function createOneTimeCodeCheck({ store, box, clock }: OneTimeCodeCheckDeps): OneTimeCodeCheck {
  return async (userId, factors, code) => {
    if (factors.totp && isTotpShaped(code)) {
      if (!box) throw new Error('An authenticator app is set up but MFA_ENCRYPTION_KEYS is not: its secret cannot be opened');
      const step = matchTotpStep(box.open(factors.totp.sealedSecret, userId), code, clock.now());
      return step !== undefined && store.claimTotpStep(userId, step);
    }
    const normalised = normaliseRecoveryCode(code);
    if (normalised === undefined || factors.recoveryCodesLeft === 0) return false;
    return store.spendRecoveryCode(userId, recoveryCodeHash(normalised));
  };
}
