import fc from 'fast-check';
import { clusterEnv, TEST_JWT_SECRET } from '../support/test-env';
import { base64url, compactJws, hmacSha256, type JsonObject, nowSeconds, segments } from './support/forge';
import { startRingTarget } from './support/ring-server';
import { expectAccepted, liveClaims, type RawResponse, sendMe, startTarget, type Target } from './support/target';

/**
 * Random Authorization headers against real servers: whatever arrives, the answer is
 * 401 UNAUTHENTICATED with a Bearer challenge, never a 5xx and never the user. Each
 * property runs a fixed number of times; fast-check prints the seed and the shrunk
 * counterexample when one fails.
 */

const RUNS = 200;
const VICTIM = { username: 'fuzz-victim', password: 'correct horse battery staple' };
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * What an HTTP client can put in a header value: the string's UTF-8 bytes, one latin1
 * character each (as they travel), without the control characters fetch refuses
 * (NUL, CR, LF and the rest but tab). Bytes beyond that are jwt-attacks' raw-socket cases.
 */
function asHeaderValue(text: string): string {
  const latin1 = Buffer.from(text, 'utf8').toString('latin1');
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  return latin1.replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, '');
}

function expectUnauthenticated(response: RawResponse, target: Target): void {
  expect(response.status).toBe(401);
  expect(response.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  expect(response.body.data ?? null).toBeNull();
  expect(response.headers.get('www-authenticate')).toContain('Bearer');
  expect(response.text).not.toContain(target.victim.user.id);
}

const anyText = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 100 }),
);

const base64urlSegments = fc
  .constantFrom(1, 3, 5)
  .chain((count) => fc.array(fc.uint8Array({ maxLength: 200 }), { minLength: count, maxLength: count }))
  .map((parts) => parts.map((bytes) => Buffer.from(bytes).toString('base64url')).join('.'));

/** A small edit of a real token, as data, so a failure prints which edit it was. */
type Mutation =
  | { readonly kind: 'flip'; readonly at: number; readonly shift: number }
  | { readonly kind: 'drop'; readonly at: number }
  | { readonly kind: 'insert'; readonly at: number; readonly character: string }
  | { readonly kind: 'swap segments'; readonly first: number; readonly second: number }
  | { readonly kind: 'truncate'; readonly length: number }
  | { readonly kind: 'remove segment'; readonly index: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  // Half of the flips hit the last character, whose unused bits a lax decoder ignores (-1 is the last).
  fc.record({
    kind: fc.constant('flip' as const),
    at: fc.oneof(fc.nat(), fc.constant(-1)),
    shift: fc.integer({ min: 1, max: 63 }),
  }),
  fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    character: fc.constantFrom(...BASE64URL, '.', '=', '+', '/'),
  }),
  fc.constantFrom<Mutation>(
    { kind: 'swap segments', first: 0, second: 1 },
    { kind: 'swap segments', first: 0, second: 2 },
    { kind: 'swap segments', first: 1, second: 2 },
  ),
  fc.record({ kind: fc.constant('truncate' as const), length: fc.nat() }),
  fc.record({ kind: fc.constant('remove segment' as const), index: fc.constantFrom(0, 1, 2) }),
);

function applyMutation(token: string, edit: Mutation): string {
  switch (edit.kind) {
    case 'flip': {
      const index = edit.at === -1 ? token.length - 1 : edit.at % token.length;
      const current = BASE64URL.indexOf(token[index]);
      const replacement = current === -1 ? 'A' : BASE64URL[(current + edit.shift) % 64];
      return token.slice(0, index) + replacement + token.slice(index + 1);
    }
    case 'drop': {
      const index = edit.at % token.length;
      return token.slice(0, index) + token.slice(index + 1);
    }
    case 'insert': {
      const index = edit.at % (token.length + 1);
      return token.slice(0, index) + edit.character + token.slice(index);
    }
    case 'swap segments': {
      const parts = segments(token);
      [parts[edit.first], parts[edit.second]] = [parts[edit.second], parts[edit.first]];
      return parts.join('.');
    }
    case 'truncate':
      return token.slice(0, edit.length % token.length);
    case 'remove segment':
      return segments(token).filter((_, index) => index !== edit.index).join('.');
  }
}

const jsonObject = fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 8 });

describe('random Authorization headers never get a 5xx or the user', () => {
  let hs: Target;
  let ed: Target;

  beforeAll(async () => {
    [hs, ed] = await Promise.all([startTarget(clusterEnv(), VICTIM), startRingTarget(VICTIM)]);
  });

  afterAll(async () => {
    await Promise.all([hs.server.close(), ed.server.close()]);
  });

  it('refuses any text, with or without the Bearer scheme', async () => {
    const header = fc.oneof(anyText, anyText.map((text) => `Bearer ${text}`));
    await fc.assert(
      fc.asyncProperty(header, async (text) => {
        expectUnauthenticated(await sendMe(hs.server.url, asHeaderValue(text)), hs);
      }),
      { numRuns: RUNS },
    );
  });

  it('refuses random bytes as 1, 3 or 5 base64url segments', async () => {
    await fc.assert(
      fc.asyncProperty(base64urlSegments, async (token) => {
        expectUnauthenticated(await sendMe(hs.server.url, `Bearer ${token}`), hs);
      }),
      { numRuns: RUNS },
    );
  });

  it.each([
    ['HS256 (jsonwebtoken)', () => hs],
    ['EdDSA (node:crypto)', () => ed],
  ])('refuses any small edit of a real %s token', async (_name, target) => {
    const { accessToken } = target().victim;
    await fc.assert(
      fc.asyncProperty(mutation, async (edit) => {
        const forged = applyMutation(accessToken, edit);
        fc.pre(forged !== accessToken);
        expectUnauthenticated(await sendMe(target().server.url, `Bearer ${forged}`), target());
      }),
      { numRuns: RUNS },
    );
  });

  it('refuses random header and payload objects carrying the signature of a real token', async () => {
    const kid = hs.server.deps.keyRing.active.kid;
    const header = fc.oneof(jsonObject, jsonObject.map((members) => ({ ...members, alg: 'HS256', kid })));
    const payload = fc.oneof(jsonObject, jsonObject.map((members) => ({ ...liveClaims(hs), ...members })));
    await fc.assert(
      fc.asyncProperty(header, payload, async (headerObject, claims) => {
        const token = `${base64url(headerObject)}.${base64url(claims)}.${segments(hs.victim.accessToken)[2]}`;
        expectUnauthenticated(await sendMe(hs.server.url, `Bearer ${token}`), hs);
      }),
      { numRuns: RUNS },
    );
  });

  it('answers random claims signed with the real secret only as the victim, or not at all', async () => {
    const kid = hs.server.deps.keyRing.active.kid;
    const overrides = fc.dictionary(
      fc.constantFrom('iss', 'aud', 'sub', 'sid', 'jti', 'iat', 'exp', 'nbf', 'auth', 'x'),
      fc.oneof(
        fc.jsonValue({ maxDepth: 1 }),
        fc.integer(),
        fc.integer({ min: nowSeconds() - 3_600, max: nowSeconds() + 3_600 }),
      ),
      { maxKeys: 3 },
    );
    await fc.assert(
      fc.asyncProperty(overrides, async (changes) => {
        const claims: JsonObject = { ...liveClaims(hs), ...changes };
        const header = JSON.stringify({ alg: 'HS256', typ: 'JWT', kid });
        const token = compactJws(header, JSON.stringify(claims), hmacSha256(TEST_JWT_SECRET));
        const response = await sendMe(hs.server.url, `Bearer ${token}`);
        if (response.status === 200) expectAccepted(response, hs);
        else expectUnauthenticated(response, hs);
      }),
      { numRuns: RUNS },
    );
  });

  it('still accepts both real tokens afterwards', async () => {
    for (const target of [hs, ed]) {
      expectAccepted(await sendMe(target.server.url, `Bearer ${target.victim.accessToken}`), target);
    }
  });
});
