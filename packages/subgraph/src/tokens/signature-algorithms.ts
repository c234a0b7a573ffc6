import { verify, type KeyObject } from 'node:crypto';
import jwa from 'jwa';
import type { KeyAlgorithm } from './key-algorithm';

/** `malformed`: the signature cannot even be one of this algorithm's (told apart only where it always was). */
export type SignatureVerdict = 'valid' | 'invalid' | 'malformed';

/** Checks a signature segment (base64url, as sent) over the signing input, with the ring's key for it. */
export type VerifySignature = (signingInput: string, signature: string, key: KeyObject) => SignatureVerdict;

/** 64 signature bytes in unpadded base64url. */
const ED25519_SIGNATURE_LENGTH = 86;

/**
 * One verifier per algorithm a key can be pinned to. HS256, RS256 and ES256 go
 * through jwa, the algorithm library jsonwebtoken signs and verifies with, so tokens
 * are judged exactly as jsonwebtoken judged them (HMAC compared in constant time,
 * ECDSA as JOSE's r || s); jwa has no EdDSA, which node:crypto verifies over the
 * same signing input. Signing mirrors this table in sign-jws.ts.
 */
export const SIGNATURE_ALGORITHMS: Readonly<Record<KeyAlgorithm, VerifySignature>> = Object.freeze({
  HS256: jwaVerifier('HS256'),
  RS256: jwaVerifier('RS256'),
  ES256: jwaVerifier('ES256'),
  EdDSA: (signingInput: string, signature: string, key: KeyObject): SignatureVerdict => {
    if (signature.length !== ED25519_SIGNATURE_LENGTH) return 'malformed';
    const valid = verify(null, Buffer.from(signingInput, 'ascii'), key, Buffer.from(signature, 'base64url'));
    return valid ? 'valid' : 'invalid';
  },
});

/** jwa throws where jsonwebtoken reported an invalid token (an ES256 signature of the wrong length): the same answer here. */
function jwaVerifier(algorithm: 'HS256' | 'RS256' | 'ES256'): VerifySignature {
  const { verify: verifyJws } = jwa(algorithm);
  return (signingInput, signature, key) => {
    try {
      return verifyJws(signingInput, signature, key) ? 'valid' : 'invalid';
    } catch {
      return 'invalid';
    }
  };
}
