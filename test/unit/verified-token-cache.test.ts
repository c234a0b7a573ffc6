import { loadConfig } from '../../src/config/load-config';
import { UnauthenticatedError } from '../../src/errors';
import type { VerificationKeys } from '../../src/tokens/key-ring';
import { signAccessToken } from '../../src/tokens/sign';
import { createVerifiedTokenCache } from '../../src/tokens/verified-token-cache';

const ring = loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'a-unit-test-secret-of-at-least-32-bytes' }).jwt.keyRing;
const audience = { issuer: 'issuer', audience: 'api' };
const now = Date.now();

function token(expiresInMs = 60_000): string {
  const request = { userId: '01a20ab8-e066-7b0c-bd64-d3c7f72a45fb', sessionId: 'XItemG4yM9bZ5vDdtJY2kA', authorities: ['a'], issuedAtMs: now, expiresAtMs: now + expiresInMs };
  return signAccessToken(ring, audience, request).token;
}

describe('the verified-token cache', () => {
  it('answers a token it verified with the same claims again', () => {
    const verify = createVerifiedTokenCache();
    const live = token();
    const first = verify(ring, audience, live, now);
    expect(verify(ring, audience, live, now + 1_000)).toEqual(first);
  });

  it('refuses a remembered token once it has expired', () => {
    const verify = createVerifiedTokenCache();
    const shortLived = token(5_000);
    verify(ring, audience, shortLived, now);
    expect(() => verify(ring, audience, shortLived, now + 5_000)).toThrow(UnauthenticatedError);
  });

  it('refuses a remembered token whose key is no longer known', () => {
    const verify = createVerifiedTokenCache();
    const live = token();
    verify(ring, audience, live, now);
    const withoutKeys: VerificationKeys = { find: () => undefined };
    expect(() => verify(withoutKeys, audience, live, now)).toThrow(UnauthenticatedError);
  });

  it('remembers no failure: a forged token fails every time, and a good one still passes after', () => {
    const verify = createVerifiedTokenCache(1);
    const live = token();
    const [header, payload] = live.split('.');
    const forged = `${header}.${payload}.${'A'.repeat(43)}`;
    for (let i = 0; i < 3; i += 1) expect(() => verify(ring, audience, forged, now)).toThrow(UnauthenticatedError);
    expect(verify(ring, audience, live, now).sub).toBe('01a20ab8-e066-7b0c-bd64-d3c7f72a45fb');
  });

  it('keeps verifying correctly past its size, forgetting the oldest', () => {
    const verify = createVerifiedTokenCache(2);
    const tokens = [token(), token(), token()];
    for (const each of [...tokens, ...tokens]) expect(verify(ring, audience, each, now).sid).toBe('XItemG4yM9bZ5vDdtJY2kA');
  });
});
