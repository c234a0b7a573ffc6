import type { KeyObject } from 'node:crypto';

/** The algorithms a ring key may be pinned to; `none` and every other JWA name are absent on purpose. */
export const KEY_ALGORITHMS = ['HS256', 'RS256', 'ES256', 'EdDSA'] as const;
export type KeyAlgorithm = (typeof KEY_ALGORITHMS)[number];

export const MIN_HMAC_SECRET_BYTES = 32;
export const MIN_RSA_MODULUS_BITS = 2048;

export function isKeyAlgorithm(value: unknown): value is KeyAlgorithm {
  return (KEY_ALGORITHMS as readonly unknown[]).includes(value);
}

/** True for the algorithms whose keys are public/private pairs (and so appear in the JWKS). */
export function isAsymmetric(algorithm: KeyAlgorithm): boolean {
  return algorithm !== 'HS256';
}

/**
 * Why `key` cannot be used with `algorithm`, or undefined when it fits. Checks the
 * key type, the RSA size and the curve, so a key is never used with an algorithm
 * its material was not made for. Describes the key, never its material.
 */
export function keyMismatch(algorithm: KeyAlgorithm, key: KeyObject): string | undefined {
  const found = describeKey(key);
  switch (algorithm) {
    case 'HS256': {
      if (key.type !== 'secret') return `HS256 needs a secret, got ${found}`;
      const bytes = key.symmetricKeySize ?? 0;
      return bytes < MIN_HMAC_SECRET_BYTES
        ? `HS256 needs a secret of at least ${MIN_HMAC_SECRET_BYTES} bytes, got ${bytes} bytes`
        : undefined;
    }
    case 'RS256': {
      const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
      if (key.asymmetricKeyType !== 'rsa') return `RS256 needs an RSA key, got ${found}`;
      return bits < MIN_RSA_MODULUS_BITS
        ? `RS256 needs an RSA key of at least ${MIN_RSA_MODULUS_BITS} bits, got ${bits} bits`
        : undefined;
    }
    case 'ES256':
      return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1'
        ? undefined
        : `ES256 needs an EC key on P-256 (prime256v1), got ${found}`;
    case 'EdDSA':
      return key.asymmetricKeyType === 'ed25519' ? undefined : `EdDSA needs an Ed25519 key, got ${found}`;
  }
}

function describeKey(key: KeyObject): string {
  if (key.type === 'secret') return 'a secret';
  const type = key.asymmetricKeyType;
  const name = type === 'ed25519' ? 'Ed25519' : type === 'ed448' ? 'Ed448' : (type ?? 'unknown').toUpperCase();
  // Spelled letter by letter: "an RSA", "an EC", "an Ed25519", but "a DSA".
  const article = /^[AEFHILMNORSX]/.test(name) ? 'an' : 'a';
  const { namedCurve, modulusLength } = key.asymmetricKeyDetails ?? {};
  if (namedCurve !== undefined) return `${article} ${name} key on ${namedCurve}`;
  if (modulusLength !== undefined) return `${article} ${name} key of ${modulusLength} bits`;
  return `${article} ${name} key`;
}
