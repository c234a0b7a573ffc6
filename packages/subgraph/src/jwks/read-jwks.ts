import { createPublicKey, type KeyObject } from 'node:crypto';
import { isJwkAlgorithm, PRIVATE_JWK_MEMBERS, publicJwkMembers } from '../tokens/jwk-shape';
import { keyMismatch } from '../tokens/key-algorithm';
import type { RingKey } from '../tokens/key-ring';

const MAX_KID_LENGTH = 256;

export type JwksReading =
  | {
      readonly ok: true;
      /** The usable keys by kid: verify-only, algorithm pinned from the JWK's `alg`. */
      readonly keys: ReadonlyMap<string, RingKey>;
      /** Why each other key was skipped, by its index; never quotes key material. */
      readonly skipped: readonly string[];
    }
  | { readonly ok: false; readonly problem: string };

/**
 * Reads a JWK set (RFC 7517) into verify-only ring keys. A document that is not
 * `{ "keys": [...] }` is a problem; a bad key in it is skipped, not fatal. A kid
 * that two keys share is dropped altogether: which one signs is unknowable.
 */
export function readJwks(document: unknown): JwksReading {
  if (!isRecord(document) || !Array.isArray(document.keys)) {
    return { ok: false, problem: 'not a JWK set ({ "keys": [...] })' };
  }
  const keys = new Map<string, RingKey>();
  const skipped: string[] = [];
  const shared = new Set<string>();
  document.keys.forEach((jwk: unknown, index) => {
    const read = ringKeyFromJwk(jwk);
    if (typeof read === 'string') return void skipped.push(`${index}: ${read}`);
    if (keys.has(read.kid) || shared.has(read.kid)) {
      shared.add(read.kid);
      keys.delete(read.kid);
      return void skipped.push(`${index}: its kid is used by another key too`);
    }
    keys.set(read.kid, read);
  });
  return { ok: true, keys, skipped };
}

/**
 * One JWK as a verify-only ring key, or why it cannot be one. Its members pass the
 * allow-list the auth service publishes through (tokens/jwk-shape.ts): a key carrying
 * private members is skipped whole, and only the listed public ones build the key.
 */
export function ringKeyFromJwk(jwk: unknown): RingKey | string {
  if (!isRecord(jwk)) return 'not an object';
  const { kid, alg, use } = jwk;
  if (typeof kid !== 'string' || kid.length === 0 || kid.length > MAX_KID_LENGTH) return 'no usable kid';
  if (use !== 'sig') return 'use is not "sig"';
  if (jwk.key_ops !== undefined && !(Array.isArray(jwk.key_ops) && jwk.key_ops.includes('verify'))) {
    return 'key_ops does not allow "verify"';
  }
  if (PRIVATE_JWK_MEMBERS.some((member) => Object.hasOwn(jwk, member))) return 'holds private or secret key material';
  if (!isJwkAlgorithm(alg)) return 'alg is not RS256, ES256 or EdDSA';
  const publicJwk = publicJwkMembers(alg, jwk);
  if (typeof publicJwk === 'string') return publicJwk;
  let key: KeyObject;
  try {
    key = createPublicKey({ key: publicJwk, format: 'jwk' });
  } catch {
    return 'not a valid public key';
  }
  if (key.type !== 'public') return 'not a public key';
  const mismatch = keyMismatch(alg, key);
  if (mismatch !== undefined) return mismatch;
  return Object.freeze({ kid, algorithm: alg, verificationKey: key });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
