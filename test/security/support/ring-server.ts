import { randomBytes } from 'node:crypto';
import { activeKeyEntry, pemKeyPair, verifyOnlyKeyEntry } from '../../support/key-fixtures';
import { clusterEnv } from '../../support/test-env';
import { ecdsaP256Sha256, ed25519, hmacSha256, rsaSha256, type Signer } from './forge';
import { type Credentials, startTarget, type Target } from './target';

/** One key of the server's ring, with what the server itself holds: the test may sign as the server. */
export interface ServerKey {
  readonly kid: string;
  readonly alg: 'HS256' | 'RS256' | 'ES256' | 'EdDSA';
  readonly sign: Signer;
}

export interface RingKeys {
  readonly ed: ServerKey;
  readonly rs: ServerKey;
  readonly es: ServerKey;
  readonly hs: ServerKey;
}

export interface RingTarget extends Target {
  readonly keys: RingKeys;
  /** Every key: a forgery table runs once per key, so every algorithm of the signature table meets the same cases. */
  readonly allKeys: readonly ServerKey[];
}

/**
 * A server whose ring holds all four algorithms: EdDSA active (so the victim's real
 * token is EdDSA), RS256 and ES256 verify-only with only their public keys
 * configured, HS256 verify-only. The asymmetric public keys are in its JWKS.
 */
export async function startRingTarget(credentials: Credentials): Promise<RingTarget> {
  const ed = pemKeyPair('ed25519');
  const rs = pemKeyPair('rsa2048');
  const es = pemKeyPair('p256');
  const secret = randomBytes(32).toString('hex');
  const keys: RingKeys = {
    ed: { kid: 'ed-active', alg: 'EdDSA', sign: ed25519(ed.privateKey) },
    rs: { kid: 'rs-verify', alg: 'RS256', sign: rsaSha256(rs.privateKey) },
    es: { kid: 'es-verify', alg: 'ES256', sign: ecdsaP256Sha256(es.privateKey) },
    hs: { kid: 'hs-verify', alg: 'HS256', sign: hmacSha256(secret) },
  };
  const ring = [
    activeKeyEntry(keys.ed.kid, 'EdDSA', ed),
    verifyOnlyKeyEntry(keys.rs.kid, 'RS256', rs),
    verifyOnlyKeyEntry(keys.es.kid, 'ES256', es),
    { kid: keys.hs.kid, alg: 'HS256', secret },
  ];
  const { JWT_SECRET: _secret, ...env } = clusterEnv();
  const target = await startTarget({ ...env, JWT_KEYS: JSON.stringify(ring) }, credentials);
  return { ...target, keys, allKeys: [keys.hs, keys.rs, keys.es, keys.ed] };
}
