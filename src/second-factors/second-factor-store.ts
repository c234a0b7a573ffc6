/** An authenticator app's secret as stored: sealed (secret-box.ts), never in the clear. */
export interface StoredTotp {
  readonly sealedSecret: string;
  readonly confirmedAt: number;
}

/** A secret handed out by enrolment and not confirmed with a code yet. */
export interface PendingTotp {
  readonly sealedSecret: string;
  readonly expiresAt: number;
}

/** How a passkey's private key is kept, as the authenticator reported it at registration. */
export type PasskeyDeviceType = 'singleDevice' | 'multiDevice';

/** A WebAuthn credential: its public key and what is needed to check an assertion; never anything secret. */
export interface StoredPasskey {
  /** The credential id, base64url. */
  readonly id: string;
  /** COSE public key, base64url. */
  readonly publicKey: string;
  /** The signature counter last seen; 0 for authenticators that keep none. */
  readonly counter: number;
  readonly transports: readonly string[];
  readonly deviceType: PasskeyDeviceType;
  readonly backedUp: boolean;
  readonly name?: string;
  readonly createdAt: number;
  readonly lastUsedAt?: number;
}

/** A user's second factors as one read finds them. */
export interface SecondFactorRecord {
  readonly totp?: StoredTotp;
  readonly pendingTotp?: PendingTotp;
  readonly recoveryCodesLeft: number;
  readonly passkeys: readonly StoredPasskey[];
}

export interface TotpActivation {
  /** The pending secret this activation confirms: a newer enrolment in between wins. */
  readonly sealedSecret: string;
  readonly recoveryCodeHashes: readonly string[];
  /** The step of the code that confirmed it, used up like any other. */
  readonly step: number;
  readonly nowMs: number;
}

export type PasskeyUse = 'used' | 'unknown' | 'counter-not-increased' | 'challenge-spent';

/** The challenge a sign-in answered: spent with it, remembered until it would have expired anyway. */
export interface SpentChallenge {
  readonly digest: string;
  readonly expiresAt: number;
}

/**
 * Each user's second factors. Implementations: Redis (all of a user's in one hash on
 * the user's slot, every change one command or script) and in-memory, same semantics,
 * proven by test/second-factors/second-factor-store.contract.ts.
 */
export interface SecondFactorStore {
  read(userId: string): Promise<SecondFactorRecord>;
  /** Replaces any earlier pending secret. */
  savePendingTotp(userId: string, pending: PendingTotp): Promise<void>;
  /**
   * Makes the pending secret the active one, with new recovery codes (the old ones die),
   * if it is still the pending one and has not expired. False otherwise.
   */
  activateTotp(userId: string, activation: TotpActivation): Promise<boolean>;
  /** Removes the app's secret, any pending one and every recovery code; false when there was no active secret. */
  removeTotp(userId: string): Promise<boolean>;
  /** Records a code's step as used, if it is later than every step used before: false is a replay. */
  claimTotpStep(userId: string, step: number): Promise<boolean>;
  /** Spends a recovery code by its hash: true once, false ever after (and for codes never issued). */
  spendRecoveryCode(userId: string, codeHash: string): Promise<boolean>;
  /** False when the user already has `max` passkeys or one with this id. */
  addPasskey(userId: string, passkey: StoredPasskey, max: number): Promise<boolean>;
  /**
   * Records a sign-in with the passkey: its new counter and when, and spends its challenge.
   * A counter that did not increase (while either is non-zero) suggests a cloned
   * authenticator, and a challenge spent before a replayed answer: both change nothing.
   */
  usePasskey(userId: string, credentialId: string, counter: number, nowMs: number, challenge: SpentChallenge): Promise<PasskeyUse>;
  removePasskey(userId: string, credentialId: string): Promise<boolean>;
  /** Every factor of the user gone: an administrator's reset. Returns how many there were (app, passkeys). */
  removeAll(userId: string): Promise<number>;
}
