import { sign, verify, type KeyObject } from 'node:crypto';

/**
 * Compact JWS with EdDSA over Ed25519 (RFC 8037), on node:crypto alone, because
 * jsonwebtoken 9 and the jws/jwa packages under it know no EdDSA: `jwt.sign` refuses
 * the algorithm name, `jwt.verify` refuses the key type, and jwa has no signer.
 * Only this algorithm goes through here; the others stay on jsonwebtoken.
 */

const SEGMENT = /^[A-Za-z0-9_-]+$/;
/** 64 signature bytes in unpadded base64url. */
const SIGNATURE_LENGTH = 86;

export type EdDsaVerification =
  | { readonly valid: true; readonly payload: Readonly<Record<string, unknown>> }
  | { readonly valid: false; readonly reason: 'malformed' | 'invalid signature' };

export function signEdDsaJws(
  header: Readonly<Record<string, unknown>>,
  payload: object,
  privateKey: KeyObject,
): string {
  if (header.alg !== 'EdDSA') throw new Error('signEdDsaJws signs only alg EdDSA');
  const input = `${encodeJson(header)}.${encodeJson(payload)}`;
  return `${input}.${sign(null, Buffer.from(input, 'ascii'), privateKey).toString('base64url')}`;
}

/** Checks the signature (and that the header says EdDSA), then returns the payload; claims are the caller's. */
export function verifyEdDsaJws(token: string, publicKey: KeyObject): EdDsaVerification {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((part) => SEGMENT.test(part))) return { valid: false, reason: 'malformed' };
  const [headerPart, payloadPart, signaturePart] = parts;
  const header = decodeJsonObject(headerPart);
  if (header?.alg !== 'EdDSA' || signaturePart.length !== SIGNATURE_LENGTH) {
    return { valid: false, reason: 'malformed' };
  }
  const signature = Buffer.from(signaturePart, 'base64url');
  const input = Buffer.from(`${headerPart}.${payloadPart}`, 'ascii');
  if (!verify(null, input, publicKey, signature)) return { valid: false, reason: 'invalid signature' };
  const payload = decodeJsonObject(payloadPart);
  return payload ? { valid: true, payload } : { valid: false, reason: 'malformed' };
}

function encodeJson(value: object): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

function decodeJsonObject(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
