import { randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { UnauthenticatedError } from '@graphql-auth-service/subgraph/errors';
import { createKeyRing, hmacKey } from '@graphql-auth-service/subgraph/tokens/key-ring';
import { signAccessToken } from '../../src/tokens/sign';
import { MAX_TOKEN_LENGTH, verifyAccessToken } from '@graphql-auth-service/subgraph/tokens/verify';

const audience = { issuer: 'issuer-under-test', audience: 'audience-under-test' };
const now = Date.UTC(2026, 10, 23, 12, 0, 0);
const request = {
  userId: '01a2099d-1931-757b-a805-3c94653d9f5a',
  sessionId: 'lAhvU4hUwAT1zznyJ_y9bQ',
  authorities: ['ROLE_ADMIN', 'orders:read'],
  issuedAtMs: now,
  expiresAtMs: now + 900_000,
};

describe('access tokens signed and verified through the key ring', () => {
  const secret = randomBytes(32);
  const ring = createKeyRing(hmacKey(secret));

  it('carries the access token header (alg, typ, kid) and claims (iss, aud, sub, sid, jti, iat, exp, auth) and verifies back to them', () => {
    const { token, claims } = signAccessToken(ring, audience, request);
    const { header } = jwt.decode(token, { complete: true }) as jwt.Jwt;
    expect(header).toEqual({ alg: 'HS256', typ: 'JWT', kid: ring.active.kid });
    expect(claims).toEqual({
      iss: 'issuer-under-test',
      aud: 'audience-under-test',
      sub: request.userId,
      sid: request.sessionId,
      jti: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
      iat: now / 1000,
      exp: now / 1000 + 900,
      auth: ['ROLE_ADMIN', 'orders:read'],
    });
    expect(verifyAccessToken(ring, audience, token, now + 1_000)).toEqual(claims);
  });

  it('gives every token its own jti', () => {
    const first = signAccessToken(ring, audience, request).claims.jti;
    const second = signAccessToken(ring, audience, request).claims.jti;
    expect(first).not.toBe(second);
  });

  it('refuses the token from the second it expires', () => {
    const { token } = signAccessToken(ring, audience, request);
    expect(() => verifyAccessToken(ring, audience, token, request.expiresAtMs)).toThrow(UnauthenticatedError);
  });

  it('refuses an oversized token before parsing it', () => {
    const error = captureError(() => verifyAccessToken(ring, audience, 'a'.repeat(MAX_TOKEN_LENGTH + 1), now));
    expect(error).toBeInstanceOf(UnauthenticatedError);
    expect(error.logReason).toBe('too long');
  });
});

describe('the HS256 key id', () => {
  it('names the secret without revealing it: stable for one secret, different for another', () => {
    const secret = Buffer.from('a shared secret that is at least 32 bytes long');
    const kid = hmacKey(secret).kid;
    expect(hmacKey(Buffer.from(secret)).kid).toBe(kid);
    expect(hmacKey(randomBytes(32)).kid).not.toBe(kid);
    expect(secret.toString()).not.toContain(kid);
    expect(kid).toMatch(/^[A-Za-z0-9_-]{16}$/);
  });
});

describe('the key ring shape that rotation builds on', () => {
  const oldKey = hmacKey(randomBytes(32));
  const newKey = hmacKey(randomBytes(32));

  it('verifies a token of a verify-only key while signing with the new active key', () => {
    const { token: oldToken } = signAccessToken(createKeyRing(oldKey), audience, request);
    const rotated = createKeyRing(newKey, [oldKey]);
    expect(verifyAccessToken(rotated, audience, oldToken, now).sid).toBe(request.sessionId);
    const { token: newToken } = signAccessToken(rotated, audience, request);
    expect((jwt.decode(newToken, { complete: true }) as jwt.Jwt).header.kid).toBe(newKey.kid);
  });

  it('refuses a token whose key was removed from the ring', () => {
    const { token } = signAccessToken(createKeyRing(oldKey), audience, request);
    const error = captureError(() => verifyAccessToken(createKeyRing(newKey), audience, token, now));
    expect(error.logReason).toBe('unknown key');
  });

  it('refuses two keys with one kid', () => {
    expect(() => createKeyRing(oldKey, [oldKey])).toThrow(/Duplicate key id/);
  });
});

function captureError(action: () => unknown): UnauthenticatedError {
  try {
    action();
  } catch (error) {
    if (error instanceof UnauthenticatedError) return error;
    throw error;
  }
  throw new Error('expected an UnauthenticatedError');
}
