import { createHash, createSecretKey, type KeyObject } from 'node:crypto';
import type { Algorithm } from 'jsonwebtoken';

/** One key of the ring; its algorithm is pinned, so a token can never pick another. */
export interface RingKey {
  readonly kid: string;
  readonly algorithm: Algorithm;
  /** For signing: the secret or private key. */
  readonly signingKey: KeyObject;
  /** For verifying: the secret or public key. */
  readonly verificationKey: KeyObject;
}

/**
 * One active signing key plus keys kept only to verify tokens they signed earlier.
 * KeyObjects are built once here: jsonwebtoken re-parses string keys on every call.
 */
export interface KeyRing {
  readonly active: RingKey;
  find(kid: string): RingKey | undefined;
}

export function createKeyRing(active: RingKey, verifyOnly: readonly RingKey[] = []): KeyRing {
  const byKid = new Map<string, RingKey>();
  for (const key of [active, ...verifyOnly]) {
    if (byKid.has(key.kid)) throw new Error(`Duplicate key id in key ring: ${key.kid}`);
    byKid.set(key.kid, key);
  }
  return { active, find: (kid) => byKid.get(kid) };
}

/** An HS256 key from a shared secret; its kid is a digest, so it names the key without revealing it. */
export function hmacKey(secret: Buffer): RingKey {
  const key = createSecretKey(secret);
  const kid = createHash('sha256').update('kid:').update(secret).digest('base64url').slice(0, 16);
  return { kid, algorithm: 'HS256', signingKey: key, verificationKey: key };
}
