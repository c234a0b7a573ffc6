import { createHash, createSecretKey } from 'node:crypto';
import { ringKeyProblem } from './ring-key-check';
import type { RingKey, SigningRingKey } from './ring-key';

export type { KeyAlgorithm } from './key-algorithm';
export type { RingKey, SigningRingKey } from './ring-key';

/** What verification needs: a key by its kid. A ring has it; so does a JWKS fetched by a subgraph. */
export interface VerificationKeys {
  find(kid: string): RingKey | undefined;
  /**
   * For keys that load from elsewhere (a JWKS): makes `find(kid)` answer for this kid,
   * fetching if need be; throws when the keys cannot be trusted (unreachable and stale).
   * The verified-token cache awaits it before every `find`. A ring, whose keys are all
   * at hand, has none.
   */
  resolve?(kid: string): Promise<unknown>;
}

/**
 * One active signing key plus keys kept only to verify tokens they signed earlier
 * (or, during a rotation, tokens a key will sign soon; the JWKS publishes them ahead).
 * KeyObjects are built once, at start: a key given as a string would be parsed again on every call.
 */
export interface KeyRing extends VerificationKeys {
  readonly active: SigningRingKey;
  /** Every key, the active one first. */
  keys(): readonly RingKey[];
}

/** Throws on a duplicate kid or an unsound key (ringKeyProblem): a bug, as key-spec reports those first. */
export function createKeyRing(active: SigningRingKey, verifyOnly: readonly RingKey[] = []): KeyRing {
  const all = Object.freeze([active, ...verifyOnly]);
  const byKid = new Map<string, RingKey>();
  for (const key of all) {
    if (byKid.has(key.kid)) throw new Error(`Duplicate key id in key ring: ${key.kid}`);
    const problem = ringKeyProblem(key);
    if (problem !== undefined) throw new Error(`Key ${key.kid} is unusable: ${problem}`);
    byKid.set(key.kid, key);
  }
  if (active.signingKey === undefined) throw new Error(`The active key ${active.kid} has no signing key`);
  return { active, find: (kid) => byKid.get(kid), keys: () => all };
}

/** An HS256 key from a shared secret; its kid is a digest, so it names the key without revealing it. */
export function hmacKey(secret: Buffer): SigningRingKey {
  const key = createSecretKey(secret);
  return { kid: hmacKeyId(secret), algorithm: 'HS256', signingKey: key, verificationKey: key };
}

/** The kid `hmacKey` gives a secret (docs/signing-keys.md shows how to compute it when moving from JWT_SECRET to JWT_KEYS). */
export function hmacKeyId(secret: Buffer): string {
  return createHash('sha256').update('kid:').update(secret).digest('base64url').slice(0, 16);
}
