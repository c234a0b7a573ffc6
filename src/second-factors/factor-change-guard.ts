import { usedSecondFactor } from '@graphql-auth-service/subgraph/auth/amr';
import type { Principal } from '@graphql-auth-service/subgraph/auth/principal';
import { ForbiddenError } from '@graphql-auth-service/subgraph/errors';
import type { SecondFactorRecord } from './second-factor-store';

/**
 * Who may add or remove a second factor: a session signed in recently (a stolen
 * long-lived refresh token alone cannot plant an attacker's passkey), and, for an
 * account that already has a factor, a session that used one (a password alone
 * cannot swap the factor out).
 */
export function assertMayChangeFactors(caller: Principal, factors: SecondFactorRecord, nowMs: number, recentSignInMs: number): void {
  if (caller.authenticatedAt === undefined || nowMs - caller.authenticatedAt > recentSignInMs) {
    throw new ForbiddenError(`Sign in again to change your second factors (a sign-in within the last ${Math.round(recentSignInMs / 60_000)} minutes is needed)`, {
      details: { reason: 'RECENT_SIGN_IN_REQUIRED' },
    });
  }
  if (hasSecondFactor(factors) && !usedSecondFactor(caller.amr)) {
    throw new ForbiddenError('Sign in with your second factor to change your second factors', { details: { reason: 'MFA_REQUIRED' } });
  }
}

export function hasSecondFactor(factors: SecondFactorRecord): boolean {
  return factors.totp !== undefined || factors.passkeys.length > 0;
}
