import { scanTopLevelMembers } from './duplicate-members';

/** Tokens longer than this are refused before any parsing. */
export const MAX_TOKEN_LENGTH = 8_192;

/** Three base64url segments; the signature may be empty (alg none), so the signature check refuses it, not a regex. */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** A compact JWS taken apart, nothing of it trusted yet. */
export interface JwsParts {
  readonly header: Readonly<Record<string, unknown>>;
  readonly payload: Readonly<Record<string, unknown>>;
  /** The header and payload segments as sent, joined by their dot: the bytes the signature covers. */
  readonly signingInput: string;
  /** The signature segment as sent (canonical base64url, possibly empty). */
  readonly signature: string;
}

export type ParsedJws =
  | ({ readonly ok: true } & JwsParts)
  | { readonly ok: false; readonly reason: 'too long' | 'malformed' | 'duplicate member' };

const MALFORMED: ParsedJws = { ok: false, reason: 'malformed' };

/**
 * Takes a compact JWS apart once, for every later stage: the key lookup reads the
 * header, the signature check the signing input and signature, the claim checks the
 * payload. Refuses it unless header and payload are JSON objects that name no member
 * twice and every segment is canonical base64url. Both are decoded as jws decodes
 * them for jsonwebtoken (the header as latin1, the payload as UTF-8), so the names
 * scanned for duplicates are the names parsed, and tokens mean here what they mean
 * to the library that signs them.
 */
export function parseJws(token: string): ParsedJws {
  if (token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: 'too long' };
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
  const payload = parseObject(payloadJson);
  if (header === undefined || payload === undefined) return MALFORMED;
  return { ok: true, header, payload, signingInput: token.slice(0, payloadEnd), signature: token.slice(payloadEnd + 1) };
}

/**
 * Whether the base64url segment from `start` to `end` is the one encoding of its
 * bytes. The last character of a segment whose length is not a multiple of 4 carries
 * 2 or 4 unused bits, which decoders ignore: without this check every RS256, ES256
 * and EdDSA signature would have 4 or 16 spellings that all verify (HS256 signatures
 * are compared as strings, the others decoded), so one token would have several
 * string forms. A length of 1 modulo 4 encodes no whole byte at all.
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
