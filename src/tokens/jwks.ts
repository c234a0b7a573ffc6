import type { KeyObject } from 'node:crypto';
import type { KeyAlgorithm } from './key-algorithm';
import type { KeyRing } from './key-ring';

/** A public signing key as RFC 7517 publishes it. */
export interface PublicJwk {
  readonly kty: 'RSA' | 'EC' | 'OKP';
  readonly kid: string;
  readonly alg: Exclude<KeyAlgorithm, 'HS256'>;
  readonly use: 'sig';
  /** RSA modulus and exponent. */
  readonly n?: string;
  readonly e?: string;
  /** EC and OKP curve and coordinates. */
  readonly crv?: string;
  readonly x?: string;
  readonly y?: string;
}

export interface JwksDocument {
  readonly keys: readonly PublicJwk[];
}

/** The only members copied, per key type: a whitelist, so no private member (d, p, q, dp, dq, qi) can slip through. */
const PUBLIC_MEMBERS = {
  RSA: ['n', 'e'],
  EC: ['crv', 'x', 'y'],
  OKP: ['crv', 'x'],
} as const;

/**
 * The document for `/.well-known/jwks.json`: the public key of every asymmetric key in
 * the ring, active and verify-only alike (so verifiers accept tokens of a key being
 * retired, and learn a new key before it signs). HS256 secrets are never published.
 */
export function jwksDocument(ring: KeyRing): JwksDocument {
  const keys: PublicJwk[] = [];
  for (const key of ring.keys()) {
    if (key.algorithm === 'HS256') continue;
    keys.push({ ...publicMembers(key.verificationKey), kid: key.kid, alg: key.algorithm, use: 'sig' });
  }
  return { keys };
}

function publicMembers(key: KeyObject): Pick<PublicJwk, 'kty' | 'n' | 'e' | 'crv' | 'x' | 'y'> {
  if (key.type !== 'public') throw new Error('A JWKS holds public keys only');
  const jwk = key.export({ format: 'jwk' });
  const kty = jwk.kty;
  if (kty !== 'RSA' && kty !== 'EC' && kty !== 'OKP') throw new Error(`Unexpected key type: ${String(kty)}`);
  const members: Record<string, string> = {};
  for (const name of PUBLIC_MEMBERS[kty]) {
    const value = jwk[name];
    if (typeof value === 'string') members[name] = value;
  }
  return { kty, ...members };
}
