import { scanTopLevelMembers } from './duplicate-members';

/** Three base64url segments; the signature may be empty (alg none), so the signature check refuses it, not a regex. */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export type UnverifiedJws =
  | { readonly ok: true; readonly header: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly reason: 'malformed' | 'duplicate member' };

const MALFORMED: UnverifiedJws = { ok: false, reason: 'malformed' };
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * The protected header of a compact JWS, read before verification to pick the key,
 * once header and payload have proved to be JSON objects that name no member twice.
 * Both are decoded as jws decodes them for jsonwebtoken (the header as latin1, the
 * payload as UTF-8), so the names scanned here are the names it parses. The payload
 * is left for the signature check to parse: it is trusted only after that.
 */
export function readUnverifiedJws(token: string): UnverifiedJws {
  if (!COMPACT_JWS.test(token)) return MALFORMED;
  const headerEnd = token.indexOf('.');
  const payloadEnd = token.indexOf('.', headerEnd + 1);
  const canonical =
    isCanonical(token, 0, headerEnd) &&
    isCanonical(token, headerEnd + 1, payloadEnd) &&
    isCanonical(token, payloadEnd + 1, token.length);
  if (!canonical) return MALFORMED;
  const headerJson = Buffer.from(token.slice(0, headerEnd), 'base64url').toString('latin1');
  const payloadJson = Buffer.from(token.slice(headerEnd + 1, payloadEnd), 'base64url').toString('utf8');
  const headerScan = scanTopLevelMembers(headerJson);
  const payloadScan = scanTopLevelMembers(payloadJson);
  if (headerScan === 'duplicate' || payloadScan === 'duplicate') return { ok: false, reason: 'duplicate member' };
  if (headerScan !== 'unique' || payloadScan !== 'unique') return MALFORMED;
  const header = parseObject(headerJson);
  return header === undefined ? MALFORMED : { ok: true, header };
}

/**
 * Whether the base64url segment from `start` to `end` is the one encoding of its
 * bytes. The last character of a segment whose length is not a multiple of 4 carries
 * 2 or 4 unused bits, which decoders ignore: without this check every RS256, ES256
 * and EdDSA signature would have 4 or 16 spellings that all verify (jws compares
 * HS256 signatures as strings, but decodes the others), so one token would have
 * several string forms. A length of 1 modulo 4 encodes no whole byte at all.
 */
function isCanonical(token: string, start: number, end: number): boolean {
  const remainder = (end - start) % 4;
  if (remainder === 0) return true;
  if (remainder === 1) return false;
  const unusedBits = remainder === 2 ? 0b1111 : 0b11;
  return (BASE64URL.indexOf(token[end - 1]) & unusedBits) === 0;
}

function parseObject(json: string): Readonly<Record<string, unknown>> | undefined {
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
