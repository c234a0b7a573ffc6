import { createHmac, randomBytes, sign, type KeyObject } from 'node:crypto';

/** A JWS header or claim set as a forger writes it: any member, any type. */
export type JsonObject = Record<string, unknown>;

/** Computes a signature over the signing input; a forger picks the algorithm name in the header separately. */
export type Signer = (input: Buffer) => Buffer;

export const hmacSha256 =
  (secret: string | Buffer): Signer =>
  (input) =>
    createHmac('sha256', secret).update(input).digest();

export const rsaSha256 =
  (privateKey: KeyObject): Signer =>
  (input) =>
    sign('sha256', input, privateKey);

/** JWS ES256 signatures are r || s (IEEE P1363), not node's default DER. */
export const ecdsaP256Sha256 =
  (privateKey: KeyObject): Signer =>
  (input) =>
    sign('sha256', input, { key: privateKey, dsaEncoding: 'ieee-p1363' });

export const ed25519 =
  (privateKey: KeyObject): Signer =>
  (input) =>
    sign(null, input, privateKey);

/** A fixed signature whatever the input: empty (alg none), or zeros (the "psychic signature", CVE-2022-21449). */
export const constantSignature =
  (signature: Buffer): Signer =>
  () =>
    signature;

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

export function base64url(value: string | Buffer | JsonObject): string {
  if (Buffer.isBuffer(value)) return value.toString('base64url');
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value), 'utf8').toString('base64url');
}

/**
 * A compact JWS from raw JSON text, so a forgery can say what JSON.stringify never
 * writes: a member named twice, `1e999`, a header that is not an object.
 */
export function compactJws(headerJson: string, payload: string | Buffer, signer: Signer): string {
  const input = `${base64url(headerJson)}.${base64url(payload)}`;
  return `${input}.${signer(Buffer.from(input, 'ascii')).toString('base64url')}`;
}

export function forge(header: JsonObject, claims: JsonObject, signer: Signer): string {
  return compactJws(JSON.stringify(header), JSON.stringify(claims), signer);
}

export function segments(token: string): [string, string, string] {
  const [header, payload, signature] = token.split('.');
  return [header, payload, signature];
}

export function decodeSegment(segment: string): JsonObject {
  return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as JsonObject;
}

export function withoutMember(object: JsonObject, name: string): JsonObject {
  const { [name]: _removed, ...rest } = object;
  return rest;
}

/**
 * Claim-set JSON with one member written twice: `first` early, `last` at the end.
 * JSON.parse keeps the last; a parser that keeps the first would see another token.
 */
export function claimsWithDuplicate(claims: JsonObject, name: string, first: unknown, last: unknown): string {
  const others = JSON.stringify(withoutMember(claims, name)).slice(1, -1);
  const member = (value: unknown): string => `${JSON.stringify(name)}:${JSON.stringify(value)}`;
  return `{${[member(first), others, member(last)].filter((part) => part.length > 0).join(',')}}`;
}

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * The same signature bytes spelled differently: the lowest of the bits a base64
 * decoder ignores in the last character, set. Only for a segment whose length is
 * not a multiple of 4 (every RS256, ES256 and EdDSA signature).
 */
export function respellLastCharacter(token: string): string {
  const signature = segments(token)[2];
  if (signature.length % 4 < 2) throw new Error('this signature has no unused bits to set');
  return token.slice(0, -1) + BASE64URL[BASE64URL.indexOf(token.slice(-1)) | 1];
}

/** The standard base64 alphabet with padding, for the same bytes: what a careless encoder sends. */
export function asStandardBase64(segment: string): string {
  return Buffer.from(segment, 'base64url').toString('base64');
}

export const randomJti = (): string => randomBytes(16).toString('base64url');
