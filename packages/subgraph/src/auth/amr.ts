/**
 * How a session's user proved who they are, as the access token's `amr` claim names it
 * (RFC 8176): `pwd` a password, `otp` a one-time code (an authenticator app's or a
 * recovery code), `hwk` / `swk` a passkey bound to one device / synced between devices.
 */
export type AuthenticationMethod = 'pwd' | 'otp' | 'hwk' | 'swk';

/** The methods that make a session multi-factor. A passkey counts alone: it is only accepted with user verification. */
const SECOND_FACTORS: ReadonlySet<string> = new Set(['otp', 'hwk', 'swk']);

/** Whether a session proved more than a password: what `@auth(mfa: true)` demands. */
export function usedSecondFactor(amr: readonly string[]): boolean {
  return amr.some((method) => SECOND_FACTORS.has(method));
}
