import { UnauthenticatedError } from '@graphql-auth-service/subgraph/errors';
import { createKeyRing } from '@graphql-auth-service/subgraph/tokens/key-ring';
import { signEdDsaJws } from '../../src/tokens/sign-jws';
import { verifyAccessToken } from '@graphql-auth-service/subgraph/tokens/verify';
import { pemKeyPair } from '../support/key-fixtures';

/**
 * EdDSA on node:crypto, signed by signEdDsaJws and verified by the one token pipeline
 * (the same stages as every other algorithm): what verifies, what is an invalid
 * signature, what is malformed.
 */

const { privateKey, publicKey } = pemKeyPair('ed25519');
const other = pemKeyPair('ed25519');
const ring = createKeyRing({ kid: 'ed', algorithm: 'EdDSA', signingKey: privateKey, verificationKey: publicKey });
const audience = { issuer: 'issuer', audience: 'api' };
const nowMs = Date.UTC(2026, 10, 23, 12, 0, 0);
const header = { alg: 'EdDSA', typ: 'JWT', kid: 'ed' };
const payload = {
  iss: audience.issuer,
  aud: audience.audience,
  sub: 'user',
  sid: 'session',
  jti: 'jti',
  iat: nowMs / 1000,
  exp: nowMs / 1000 + 60,
  auth: [],
  n: 1,
};
const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

function refusal(token: string): string | undefined {
  try {
    verifyAccessToken(ring, audience, token, nowMs);
  } catch (error) {
    if (error instanceof UnauthenticatedError) return error.logReason;
    throw error;
  }
  throw new Error('expected an UnauthenticatedError');
}

describe('compact EdDSA JWS on node:crypto, through the one token pipeline', () => {
  const token = signEdDsaJws(header, payload, privateKey);
  const [headerPart, payloadPart, signaturePart] = token.split('.');

  it('signs header and payload as base64url JSON with a 64-byte signature, and verifies back to the payload', () => {
    expect(JSON.parse(Buffer.from(headerPart, 'base64url').toString())).toEqual(header);
    expect(Buffer.from(signaturePart, 'base64url')).toHaveLength(64);
    expect(verifyAccessToken(ring, audience, token, nowMs)).toEqual(payload);
  });

  it('signs only alg EdDSA', () => {
    expect(() => signEdDsaJws({ ...header, alg: 'RS256' }, payload, privateKey)).toThrow(/only alg EdDSA/);
  });

  it('refuses the signature under another key, a changed payload, and a zeroed signature', () => {
    const underAnotherKey = signEdDsaJws(header, payload, other.privateKey);
    expect(refusal(underAnotherKey)).toBe('invalid');
    expect(refusal(`${headerPart}.${b64({ ...payload, sub: 'admin' })}.${signaturePart}`)).toBe('invalid');
    const zeroed = Buffer.alloc(64).toString('base64url');
    expect(refusal(`${headerPart}.${payloadPart}.${zeroed}`)).toBe('invalid');
  });

  it.each([
    ['two segments', `${headerPart}.${payloadPart}`],
    ['four segments', `${token}.x`],
    ['padding in the signature', `${token}=`],
    ['a short signature', token.slice(0, -1)],
    ['a signature two characters short (whole bytes, but not 64 of them)', token.slice(0, -2)],
    ['a header that is not JSON', `${Buffer.from('{alg').toString('base64url')}.${payloadPart}.${signaturePart}`],
  ])('calls a token with %s malformed', (_name, malformed) => {
    expect(refusal(malformed)).toBe('malformed');
  });

  it('refuses another alg in the header before the signature: the key pins EdDSA', () => {
    expect(refusal(`${b64({ ...header, alg: 'HS256' })}.${payloadPart}.${signaturePart}`)).toBe('algorithm mismatch');
  });

  it('calls a correctly signed payload that is not a JSON object malformed', () => {
    const signedArray = signEdDsaJws(header, [1, 2], privateKey);
    expect(refusal(signedArray)).toBe('malformed');
  });
});
