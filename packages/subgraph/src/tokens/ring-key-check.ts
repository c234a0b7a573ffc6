import { createPublicKey, type KeyObject } from 'node:crypto';
import { isAsymmetric, keyMismatch } from './key-algorithm';
import type { RingKey } from './ring-key';

/**
 * Why a ring key is unusable, or undefined when it is sound: the material fits the
 * pinned algorithm, each KeyObject plays its role (secret; private to sign, public to
 * verify, so a JWKS built from verification keys can never carry a private key),
 * and a signing key's public half is the verification key.
 */
export function ringKeyProblem(key: RingKey): string | undefined {
  const { algorithm, signingKey, verificationKey } = key;
  const asymmetric = isAsymmetric(algorithm);
  if (verificationKey.type !== (asymmetric ? 'public' : 'secret')) {
    const expected = asymmetric ? 'a public key' : 'a secret';
    return `its verification key must be ${expected}, not a ${verificationKey.type} key`;
  }
  const mismatch = keyMismatch(algorithm, verificationKey);
  if (mismatch !== undefined || signingKey === undefined) return mismatch;
  if (signingKey.type !== (asymmetric ? 'private' : 'secret')) {
    return `its signing key must be ${asymmetric ? 'a private key' : 'a secret'}, not a ${signingKey.type} key`;
  }
  const halvesMatch = asymmetric
    ? spki(createPublicKey(signingKey)).equals(spki(verificationKey))
    : signingKey.equals(verificationKey);
  return halvesMatch ? undefined : 'its signing and verification keys are not one pair';
}

function spki(key: KeyObject): Buffer {
  return key.export({ type: 'spki', format: 'der' });
}
