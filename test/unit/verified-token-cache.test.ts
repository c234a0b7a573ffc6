import { loadConfig } from '../../src/config/load-config';
import { UnauthenticatedError } from '@graphql-auth-service/subgraph/errors';
import { createSubgraphAuthenticator } from '@graphql-auth-service/subgraph/subgraph-authenticator';
import { createKeyRing, hmacKey, type RingKey, type VerificationKeys } from '@graphql-auth-service/subgraph/tokens/key-ring';
import * as parsing from '@graphql-auth-service/subgraph/tokens/parse-jws';
import { signAccessToken } from '../../src/tokens/sign';
import { createVerifiedTokenCache } from '@graphql-auth-service/subgraph/tokens/verified-token-cache';
import { keyRingOf } from '../../src/tokens/signing-key-set';

const ring = keyRingOf(loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'a-unit-test-secret-of-at-least-32-bytes' }).jwt.signingKeys);
const audience = { issuer: 'issuer', audience: 'api' };
const now = Date.now();
const USER_ID = '01a20ab8-e066-7b0c-bd64-d3c7f72a45fb';
const SESSION_ID = 'XItemG4yM9bZ5vDdtJY2kA';

function token(expiresInMs = 60_000, keys = ring): string {
  const request = { userId: USER_ID, sessionId: SESSION_ID, authorities: ['a'], issuedAtMs: now, expiresAtMs: now + expiresInMs };
  return signAccessToken(keys, audience, request).token;
}

/**
 * Keys that, like a JWKS, know nothing until `resolve(kid)` has loaded them (after a
 * turn of the event loop), counting the calls.
 */
function lazyKeys(keys: readonly RingKey[]) {
  const loaded = new Map<string, RingKey>();
  const calls = { resolve: 0 };
  const source: VerificationKeys = {
    find: (kid) => loaded.get(kid),
    async resolve(kid) {
      calls.resolve += 1;
      await new Promise((resolve) => setImmediate(resolve));
      const key = keys.find((each) => each.kid === kid);
      if (key) loaded.set(kid, key);
      return key;
    },
  };
  return { source, calls };
}

describe('the verified-token cache', () => {
  it('answers a token it verified with the same claims again', async () => {
    const verify = createVerifiedTokenCache();
    const live = token();
    const first = await verify(ring, audience, live, now);
    await expect(verify(ring, audience, live, now + 1_000)).resolves.toEqual(first);
  });

  it('refuses a remembered token once it has expired', async () => {
    const verify = createVerifiedTokenCache();
    const shortLived = token(5_000);
    await verify(ring, audience, shortLived, now);
    await expect(verify(ring, audience, shortLived, now + 5_000)).rejects.toThrow(UnauthenticatedError);
  });

  it('refuses a remembered token whose key is no longer known', async () => {
    const verify = createVerifiedTokenCache();
    const live = token();
    await verify(ring, audience, live, now);
    const withoutKeys: VerificationKeys = { find: () => undefined };
    await expect(verify(withoutKeys, audience, live, now)).rejects.toThrow(UnauthenticatedError);
  });

  it('refuses a remembered token whose kid now names another key', async () => {
    const verify = createVerifiedTokenCache();
    const live = token();
    await verify(ring, audience, live, now);
    const replaced = createKeyRing({ ...hmacKey(Buffer.alloc(32, 7)), kid: ring.active.kid });
    await expect(verify(replaced, audience, live, now)).rejects.toThrow(UnauthenticatedError);
  });

  it('remembers no failure: a forged token fails every time, and a good one still passes after', async () => {
    const verify = createVerifiedTokenCache(1);
    const live = token();
    const [header, payload] = live.split('.');
    const forged = `${header}.${payload}.${'A'.repeat(43)}`;
    for (let i = 0; i < 3; i += 1) await expect(verify(ring, audience, forged, now)).rejects.toThrow(UnauthenticatedError);
    expect((await verify(ring, audience, live, now)).sub).toBe(USER_ID);
  });

  it('keeps verifying correctly past its size, forgetting the oldest', async () => {
    const verify = createVerifiedTokenCache(2);
    const tokens = [token(), token(), token()];
    for (const each of [...tokens, ...tokens]) expect((await verify(ring, audience, each, now)).sid).toBe(SESSION_ID);
  });

  it('awaits resolve(kid) before verifying, for keys that load asynchronously, on a hit too', async () => {
    const verify = createVerifiedTokenCache();
    const { source, calls } = lazyKeys(ring.keys());
    const live = token();
    expect((await verify(source, audience, live, now)).sub).toBe(USER_ID);
    expect(calls.resolve).toBe(1);
    expect((await verify(source, audience, live, now)).sub).toBe(USER_ID);
    expect(calls.resolve).toBe(2);
  });

  it('fails closed on a hit when resolve throws (a stale key set that cannot be refetched)', async () => {
    const verify = createVerifiedTokenCache();
    const live = token();
    await verify(ring, audience, live, now);
    const unreachable: VerificationKeys = {
      find: (kid) => ring.find(kid),
      resolve: () => Promise.reject(new Error('the key set is stale and unreachable')),
    };
    await expect(verify(unreachable, audience, live, now)).rejects.toThrow('stale and unreachable');
  });
});

describe('the @auth kit parses a token once', () => {
  const secret = 'a-subgraph-secret-of-at-least-32-bytes';
  const subgraphRing = createKeyRing(hmacKey(Buffer.from(secret, 'utf8')));
  let parse: jest.SpiedFunction<typeof parsing.parseJws>;

  beforeEach(() => {
    // A spy that calls through: the real parser, counted.
    parse = jest.spyOn(parsing, 'parseJws');
  });
  afterEach(() => parse.mockRestore());

  it.each([
    ['a shared secret', { secret }],
    ['keys that load asynchronously by kid (as a JWKS does)', { keys: lazyKeys(subgraphRing.keys()).source }],
  ])('with %s: once per verification on a cache miss, not at all on a hit', async (_name, keys) => {
    const authenticate = createSubgraphAuthenticator({ ...audience, keys, sessions: false });
    const bearer = `Bearer ${token(60_000, subgraphRing)}`;

    await expect(authenticate(bearer, {})).resolves.toMatchObject({ userId: USER_ID, sessionId: SESSION_ID });
    expect(parse).toHaveBeenCalledTimes(1);
    await expect(authenticate(bearer, {})).resolves.toMatchObject({ userId: USER_ID });
    await expect(authenticate(bearer, {})).resolves.toMatchObject({ userId: USER_ID });
    expect(parse).toHaveBeenCalledTimes(1);

    const forged = `${bearer.slice(0, -4)}AAAA`;
    await expect(authenticate(forged, {})).rejects.toThrow(UnauthenticatedError);
    expect(parse).toHaveBeenCalledTimes(2);
  });
});
