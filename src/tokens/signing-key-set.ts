import { createKeyRing, type KeyRing, type RingKey, type SigningRingKey } from '@graphql-auth-service/subgraph/tokens/key-ring';

/** The keys as configured: the one that signs, and those kept only to verify (during a rotation). */
export interface SigningKeySet {
  readonly active: SigningRingKey;
  readonly verifyOnly: readonly RingKey[];
}

/** The ring the service signs and verifies with, built from the configured keys. */
export function keyRingOf(keys: SigningKeySet): KeyRing {
  return createKeyRing(keys.active, keys.verifyOnly);
}
