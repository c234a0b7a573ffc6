import type { SealingKey } from './secret-box';

/** Who the browser lets a passkey be made for and used with (WebAuthn's relying party). */
export interface PasskeySettings {
  /** A registrable domain (`example.com`), never an IP address: passkeys are bound to it. */
  readonly rpId: string;
  /** Shown by the browser and the authenticator when a passkey is made. */
  readonly rpName: string;
  /** Page origins a ceremony may come from. */
  readonly origins: readonly string[];
  /** Also accept `http://localhost` on any port (development: pages on ports chosen at start). */
  readonly anyLocalhostPort: boolean;
}

export interface SecondFactorsConfig {
  /** Shown by authenticator apps above the account name. */
  readonly totpIssuer: string;
  /** The keys that seal the apps' secrets; undefined: authenticator apps cannot be set up (production without MFA_ENCRYPTION_KEYS). */
  readonly sealingKeys: readonly SealingKey[] | undefined;
  /** Undefined: passkeys cannot be registered or used (production without WEBAUTHN_RP_ID). */
  readonly passkeys: PasskeySettings | undefined;
  /** Authorities that count only in a session that used a second factor (REQUIRE_MFA_FOR). */
  readonly requireMfaFor: readonly string[];
  /** Adding or removing a second factor needs a sign-in at most this old. */
  readonly recentSignInMs: number;
}
