import type { KeyRing, RingKey } from '@graphql-auth-service/subgraph/tokens/key-ring';
import { isJwkAlgorithm, publicJwkMembers, type JwkAlgorithm } from '@graphql-auth-service/subgraph/tokens/jwk-shape';

/** A public signing key as RFC 7517 publishes it. */
export interface PublicJwk {
  readonly kty: 'RSA' | 'EC' | 'OKP';
  readonly kid: string;
  readonly alg: JwkAlgorithm;
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

/**
 * The document for `/.well-known/jwks.json`: the public key of every asymmetric key in
 * the ring, active and verify-only alike (so verifiers accept tokens of a key being
 * retired, and learn a new key before it signs). HS256 secrets are never published.
 * Members come through the allow-list subgraphs read with (jwk-shape.ts).
 */
export function jwksDocument(ring: KeyRing): JwksDocument {
  const keys: PublicJwk[] = [];
  for (const key of ring.keys()) {
    if (!isJwkAlgorithm(key.algorithm)) continue;
    keys.push({ ...publicMembers(key, key.algorithm), kid: key.kid, alg: key.algorithm, use: 'sig' });
  }
  return { keys };
}

function publicMembers(key: RingKey, algorithm: JwkAlgorithm): Pick<PublicJwk, 'kty' | 'n' | 'e' | 'crv' | 'x' | 'y'> {
  if (key.verificationKey.type !== 'public') throw new Error('A JWKS holds public keys only');
  const members = publicJwkMembers(algorithm, key.verificationKey.export({ format: 'jwk' }));
  // The ring checked every key against its algorithm (ring-key-check.ts): this is a bug.
  if (typeof members === 'string') throw new Error(`Key ${key.kid} cannot be published: ${members}`);
  return members as Pick<PublicJwk, 'kty' | 'n' | 'e' | 'crv' | 'x' | 'y'>;
}
