import type { KeyObject } from 'node:crypto';
import type { KeyAlgorithm } from './key-algorithm';

/** One key of the ring; its algorithm is pinned, so a token can never pick another. */
export interface RingKey {
  readonly kid: string;
  readonly algorithm: KeyAlgorithm;
  /** For signing: the secret or private key; undefined for a verify-only public key. */
  readonly signingKey?: KeyObject;
  /** For verifying: the secret or public key. */
  readonly verificationKey: KeyObject;
}

/** A ring key that can sign: the secret, or a private key together with its public key. */
export interface SigningRingKey extends RingKey {
  readonly signingKey: KeyObject;
}
