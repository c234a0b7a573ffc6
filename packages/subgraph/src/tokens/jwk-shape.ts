import type { KeyAlgorithm } from './key-algorithm';

/** The algorithms a JWK may carry: the asymmetric ones. A shared secret is never published, nor read from a key set. */
export type JwkAlgorithm = Exclude<KeyAlgorithm, 'HS256'>;

export interface JwkShape {
  readonly kty: 'RSA' | 'EC' | 'OKP';
  /** The curve, for the key types that have one. */
  readonly crv?: 'P-256' | 'Ed25519';
  /** The members that make the public key: the only ones copied, whichever way. */
  readonly members: readonly ('n' | 'e' | 'crv' | 'x' | 'y')[];
}

/**
 * The one JWK allow-list, used both to publish the ring's keys (jwks.ts) and to read
 * a key set in a subgraph (subgraph/jwks/read-jwks.ts): a key the service publishes
 * is always one a subgraph accepts, and a member not listed here (above all a private
 * one) is never copied either way.
 */
export const JWK_SHAPES: Readonly<Record<JwkAlgorithm, JwkShape>> = Object.freeze({
  RS256: { kty: 'RSA', members: ['n', 'e'] },
  ES256: { kty: 'EC', crv: 'P-256', members: ['crv', 'x', 'y'] },
  EdDSA: { kty: 'OKP', crv: 'Ed25519', members: ['crv', 'x'] },
});

/**
 * Members only a private or symmetric key has. A reader skips a key carrying any of
 * them whole rather than stripping them: a publisher that leaks private material is
 * not trusted with the public half either.
 */
export const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

export function isJwkAlgorithm(value: unknown): value is JwkAlgorithm {
  return typeof value === 'string' && Object.hasOwn(JWK_SHAPES, value);
}

/**
 * `kty` and the public members of `shape`, copied from `jwk` and nothing else; or
 * why `jwk` does not have that shape (wrong key type or curve, a member missing).
 * Never quotes key material.
 */
export function publicJwkMembers(
  algorithm: JwkAlgorithm,
  jwk: Readonly<Record<string, unknown>>,
): Readonly<Record<string, string>> | string {
  const shape = JWK_SHAPES[algorithm];
  if (jwk.kty !== shape.kty) return `${algorithm} needs kty ${shape.kty}`;
  if (shape.crv !== undefined && jwk.crv !== shape.crv) return `${algorithm} needs crv ${shape.crv}`;
  const members: Record<string, string> = { kty: shape.kty };
  for (const member of shape.members) {
    const value = jwk[member];
    if (typeof value !== 'string') return `member ${member} is missing`;
    members[member] = value;
  }
  return members;
}
