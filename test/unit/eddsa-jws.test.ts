import { generateKeyPairSync } from 'node:crypto';
import { signEdDsaJws, verifyEdDsaJws } from '../../src/tokens/eddsa-jws';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const other = generateKeyPairSync('ed25519');
const header = { alg: 'EdDSA', typ: 'JWT', kid: 'ed' };
const payload = { sub: 'user', n: 1 };
const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('compact EdDSA JWS on node:crypto', () => {
  const token = signEdDsaJws(header, payload, privateKey);
  const [headerPart, payloadPart, signaturePart] = token.split('.');

  it('signs header and payload as base64url JSON with a 64-byte signature, and verifies back to the payload', () => {
    expect(JSON.parse(Buffer.from(headerPart, 'base64url').toString())).toEqual(header);
    expect(Buffer.from(signaturePart, 'base64url')).toHaveLength(64);
    expect(verifyEdDsaJws(token, publicKey)).toEqual({ valid: true, payload });
  });

  it('signs only alg EdDSA', () => {
    expect(() => signEdDsaJws({ ...header, alg: 'RS256' }, payload, privateKey)).toThrow(/only alg EdDSA/);
  });

  it('refuses the signature under another key, a changed payload, and a zeroed signature', () => {
    expect(verifyEdDsaJws(token, other.publicKey)).toEqual({ valid: false, reason: 'invalid signature' });
    expect(verifyEdDsaJws(`${headerPart}.${b64({ sub: 'admin', n: 1 })}.${signaturePart}`, publicKey)).toEqual({
      valid: false,
      reason: 'invalid signature',
    });
    const zeroed = Buffer.alloc(64).toString('base64url');
    expect(verifyEdDsaJws(`${headerPart}.${payloadPart}.${zeroed}`, publicKey).valid).toBe(false);
  });

  it.each([
    ['two segments', `${headerPart}.${payloadPart}`],
    ['four segments', `${token}.x`],
    ['padding in the signature', `${token}=`],
    ['a short signature', token.slice(0, -1)],
    ['another alg in the header', `${b64({ ...header, alg: 'HS256' })}.${payloadPart}.${signaturePart}`],
    ['a header that is not JSON', `${Buffer.from('{alg').toString('base64url')}.${payloadPart}.${signaturePart}`],
  ])('calls a token with %s malformed', (_name, malformed) => {
    expect(verifyEdDsaJws(malformed, publicKey)).toEqual({ valid: false, reason: 'malformed' });
  });

  it('calls a correctly signed payload that is not a JSON object malformed', () => {
    const signedArray = signEdDsaJws(header, [1, 2], privateKey);
    expect(verifyEdDsaJws(signedArray, publicKey)).toEqual({ valid: false, reason: 'malformed' });
  });
});
