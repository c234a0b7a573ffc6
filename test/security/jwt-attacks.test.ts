import { randomBytes } from 'node:crypto';
import { login } from '../support/graphql-caller';
import { clusterEnv, TEST_JWT_SECRET } from '../support/test-env';
import {
  asStandardBase64,
  base64url,
  claimsWithDuplicate,
  compactJws,
  constantSignature,
  decodeSegment,
  forge,
  hmacSha256,
  type JsonObject,
  rsaSha256,
  segments,
  type Signer,
} from './support/forge';
import { rawPost } from './support/raw-http';
import {
  expectAccepted,
  expectNoInternals,
  expectRefused,
  liveClaims,
  sendMe,
  startTarget,
  type Target,
} from './support/target';
import { pemKeyPair } from '../support/key-fixtures';

/**
 * Signatures, algorithms, encodings, sizes and the Authorization header itself,
 * against a server keyed with JWT_SECRET (HS256, verified with jwa). Header and
 * claim attacks on every algorithm are in jwt-header-attacks and jwt-claim-attacks.
 */

const VICTIM = { username: 'forgery-victim', password: 'correct horse battery staple' };
const ME_BODY = JSON.stringify({ query: '{ me { username } }' });

interface Fixture extends Target {
  readonly kid: string;
  readonly otherUserId: string;
}

interface ForgeryCase {
  readonly name: string;
  readonly authorization: (f: Fixture) => string;
}

type Build = (f: Fixture) => string;

/** Cases whose Authorization header is `Bearer <what the case builds>`. */
const bearerCases = (cases: readonly (readonly [string, Build])[]): ForgeryCase[] =>
  cases.map(([name, build]) => ({ name, authorization: (f) => `Bearer ${build(f)}` }));

const realSecret = hmacSha256(TEST_JWT_SECRET);
const noSignature = constantSignature(Buffer.alloc(0));
const header = (f: Fixture, overrides: JsonObject = {}): JsonObject => ({
  alg: 'HS256',
  typ: 'JWT',
  kid: f.kid,
  ...overrides,
});
/** The live claims under `headerObject`, signed by `signer`: the real secret unless a case says otherwise. */
const token = (f: Fixture, headerObject: JsonObject, signer: Signer = realSecret): string =>
  forge(headerObject, liveClaims(f), signer);
/** Signed with the test secret and the server's kid: only what the case changes is wrong. */
const signed = (f: Fixture, claims: JsonObject = liveClaims(f)): string => forge(header(f), claims, realSecret);
const realSignature = (f: Fixture): string => segments(f.victim.accessToken)[2];

/** A token of the server's own making whose signature has `-` or `_` in it, so its base64 spelling differs. */
function signedWithUrlCharacters(f: Fixture): string {
  for (;;) {
    const candidate = signed(f);
    if (/[-_]/.test(segments(candidate)[2])) return candidate;
  }
}

/** Changes the payload of a real token and keeps its header and signature. */
function tamper(f: Fixture, change: (claims: JsonObject) => JsonObject): string {
  const [headerPart, payload, signature] = segments(f.victim.accessToken);
  return `${headerPart}.${base64url(change(decodeSegment(payload)))}.${signature}`;
}

const algorithmCases = bearerCases([
  ...['none', 'None', 'NONE', 'nOnE'].flatMap((alg): [string, Build][] => [
    [`alg "${alg}" with an empty signature`, (f) => token(f, header(f, { alg }), noSignature)],
    [
      `alg "${alg}" with the signature of a real token`,
      (f) => `${base64url(header(f, { alg }))}.${base64url(liveClaims(f))}.${realSignature(f)}`,
    ],
  ]),
  ['alg "none" without a kid', (f) => token(f, { alg: 'none' }, noSignature)],
  ...['HS384', 'HS512', 'hs256', 'HS256 ', 'HS256\u0000'].map((alg): [string, Build] => [
    `the right secret and kid but alg ${JSON.stringify(alg)} instead of the pinned HS256`,
    (f) => token(f, header(f, { alg })),
  ]),
  ['the right secret and kid but alg ["HS256"] (an array)', (f) => token(f, header(f, { alg: ['HS256'] }))],
  ['the right secret and kid but no alg at all', (f) => token(f, { typ: 'JWT', kid: f.kid })],
  [
    'RS256 signed with a freshly generated RSA key under the real kid',
    (f) => token(f, header(f, { alg: 'RS256' }), rsaSha256(attackerRsaKey())),
  ],
  ['signed with another 32-byte secret under the real kid', (f) => token(f, header(f), hmacSha256(randomBytes(32)))],
  ['signed with an empty HMAC secret', (f) => token(f, header(f), hmacSha256(''))],
  ['a zero-filled 32-byte signature', (f) => token(f, header(f), constantSignature(Buffer.alloc(32)))],
  [
    'payload tampered to another user id, original signature kept',
    (f) => tamper(f, (c) => ({ ...c, sub: f.otherUserId })),
  ],
  [
    'payload tampered to add ROLE_ADMIN, original signature kept',
    (f) => tamper(f, (c) => ({ ...c, auth: [...(c.auth as string[]), 'ROLE_ADMIN'] })),
  ],
  ['no kid in the header', (f) => token(f, { alg: 'HS256', typ: 'JWT' })],
  ['a kid the server does not know', (f) => token(f, header(f, { kid: 'not-a-known-kid' }))],
]);

const attackerRsaKey = () => pemKeyPair('rsa2048').privateKey;

const jweShaped = (headerObject: JsonObject, encryptedKey: Buffer, ciphertext: Buffer): string =>
  [headerObject, encryptedKey, randomBytes(12), ciphertext, randomBytes(16)].map(base64url).join('.');

const encodingCases = bearerCases([
  ['a JWT-typed header whose payload is not JSON', (f) => `${base64url(header(f))}.${base64url('not json')}.c2ln`],
  [
    'a real token re-encoded in the standard base64 alphabet with padding (+ / =)',
    (f) => segments(signedWithUrlCharacters(f)).map(asStandardBase64).join('.'),
  ],
  ['a real token with "=" padding on its signature', (f) => `${signed(f)}=`],
  ['a real token with "=" padding on every segment', (f) => segments(signed(f)).map((part) => `${part}==`).join('.')],
  ['a real token with a trailing "."', (f) => `${signed(f)}.`],
  ['a real token with a leading "."', (f) => `.${signed(f)}`],
  ['a real token followed by a fourth segment', (f) => `${signed(f)}.${realSignature(f)}`],
  ['a real token with its signature segment dropped', (f) => segments(signed(f)).slice(0, 2).join('.')],
  [
    'a JWE-shaped token of five segments under the real kid',
    (f) => jweShaped({ alg: 'dir', enc: 'A256GCM', kid: f.kid }, Buffer.alloc(0), Buffer.from(signed(f))),
  ],
  [
    'a JWE-shaped token with alg RSA-OAEP and an encrypted-key segment',
    (f) => jweShaped({ alg: 'RSA-OAEP', enc: 'A256GCM', kid: f.kid }, randomBytes(256), randomBytes(64)),
  ],
  ['a real token with a tab inside its signature', (f) => signed(f).replace(/\.([^.]*)$/, '.\t$1')],
  ['a real token with a space before its signature', (f) => signed(f).replace(/\.([^.]*)$/, '. $1')],
  ['a real token with its dots percent-encoded', (f) => signed(f).replace(/\./g, '%2E')],
  ['a real token quoted', (f) => `"${signed(f)}"`],
  ['latin1 bytes outside base64url', () => '\u00e9\u00ff%*!<>{}'],
  ['a real token with a latin1 letter appended', (f) => `${signed(f)}\u00e9`],
  ['garbage "abc"', () => 'abc'],
  ['garbage "a.b.c"', () => 'a.b.c'],
  ['garbage "..."', () => '...'],
  [
    'a header segment that is a JSON array',
    (f) => compactJws(JSON.stringify([header(f)]), JSON.stringify(liveClaims(f)), realSecret),
  ],
  [
    'a header segment that is the JSON string of a header',
    (f) => compactJws(JSON.stringify(JSON.stringify(header(f))), JSON.stringify(liveClaims(f)), realSecret),
  ],
]);

const sizeCases = bearerCases([
  ['a token signed with the real secret, one or two characters over 8192', (f) => paddedToken(f, 8_193)],
  ['a 15 kB Authorization header holding a real-secret token', (f) => paddedToken(f, 15 * 1024)],
  ['10 KB of "a"', () => 'a'.repeat(10 * 1024)],
]);

/** JSON written by hand, signed with JWT_SECRET under its kid: only the repetition is wrong. */
const duplicateMemberCases = bearerCases([
  [
    'sub of another user first and the victim last',
    (f) => {
      const claims = claimsWithDuplicate(liveClaims(f), 'sub', f.otherUserId, f.victim.user.id);
      return compactJws(JSON.stringify(header(f)), claims, realSecret);
    },
  ],
  [
    'a header with alg "none" first and "HS256" last',
    (f) => {
      const headerJson = `{"alg":"none","typ":"JWT","kid":"${f.kid}","alg":"HS256"}`;
      return compactJws(headerJson, JSON.stringify(liveClaims(f)), realSecret);
    },
  ],
]);

const schemeCases: ForgeryCase[] = [
  {
    name: 'Basic credentials of the real user',
    authorization: () => `Basic ${Buffer.from(`${VICTIM.username}:${VICTIM.password}`).toString('base64')}`,
  },
  { name: 'a valid token under another scheme ("Token")', authorization: (f) => `Token ${f.victim.accessToken}` },
  { name: 'a valid token under "Bearer:"', authorization: (f) => `Bearer:${f.victim.accessToken}` },
  { name: 'a valid token after two spaces', authorization: (f) => `Bearer  ${f.victim.accessToken}` },
  { name: 'a valid token after "Bearer Bearer"', authorization: (f) => `Bearer Bearer ${f.victim.accessToken}` },
  {
    name: 'two valid tokens in one header',
    authorization: (f) => `Bearer ${f.victim.accessToken}, Bearer ${f.victim.accessToken}`,
  },
  { name: '"Bearer" alone', authorization: () => 'Bearer' },
  { name: '"Bearer a b"', authorization: () => 'Bearer a b' },
  { name: 'an empty Authorization header', authorization: () => '' },
];

/**
 * The shortest token of at least `length` characters (so `length` or one more: a padding
 * character adds one or two base64url characters): live claims, a padding claim, the real secret.
 */
function paddedToken(f: Fixture, length: number): string {
  const bare = signed(f).length;
  for (let padding = Math.max(0, Math.floor(((length - bare) * 3) / 4) - 16); ; padding++) {
    const candidate = signed(f, { ...liveClaims(f), pad: 'x'.repeat(padding) });
    if (candidate.length >= length) return candidate;
  }
}

/** A header line for the bare socket: a real token with `inserted` after its 20th character. */
const withInside = (inserted: string) => (realToken: string) =>
  `Authorization: Bearer ${realToken.slice(0, 20)}${inserted}${realToken.slice(20)}`;

describe('forged and malformed tokens are refused with 401 UNAUTHENTICATED', () => {
  let f: Fixture;

  beforeAll(async () => {
    const target = await startTarget(clusterEnv(), VICTIM);
    const { accounts } = target.server.deps;
    const other = await accounts.create({ username: 'forgery-other', password: 'another long password' });
    f = { ...target, kid: target.server.deps.keyRing.active.kid, otherUserId: other.id };
  });

  afterAll(async () => {
    await f.server.close();
  });

  it('accepts the real token, a hand-built one, and one of 8191 or 8192 characters (the controls)', async () => {
    const atLimit = paddedToken(f, 8_191);
    expect(atLimit.length).toBeLessThanOrEqual(8_192);
    for (const accepted of [f.victim.accessToken, signed(f), atLimit]) {
      expectAccepted(await sendMe(f.server.url, `Bearer ${accepted}`), f);
    }
  });

  describe.each([
    ['algorithm and signature', algorithmCases],
    ['encoding', encodingCases],
    ['size', sizeCases],
    ['duplicate members', duplicateMemberCases],
    ['Authorization scheme', schemeCases],
  ])('%s', (_group, cases) => {
    it.each(cases)('refuses $name', async ({ authorization }) => {
      const value = authorization(f);
      expectRefused(await sendMe(f.server.url, value), f, value);
    });
  });

  describe('bytes fetch will not send, over a bare socket', () => {
    const send = (lines: readonly string[]) => rawPost(f.server.url, lines, ME_BODY);

    it.each([
      ['a NUL inside a real token', withInside('\u0000')],
      ['a NUL after a real token', (realToken: string) => `Authorization: Bearer ${realToken}\u0000`],
      ['a bare LF inside a real token', withInside('\n')],
      ['a CR LF fold (obs-fold) inside a real token', withInside('\r\n ')],
      ['a DEL inside a real token', withInside('\u007f')],
      ['a header over the 16 KiB limit', withInside('a'.repeat(17 * 1024))],
    ])('refuses %s at the HTTP parser, before the app (4xx, never 2xx or 5xx)', async (_name, line) => {
      const response = await send([line(signed(f))]);
      expect([400, 431]).toContain(response.status);
      expectNoInternals(response.rest);
    });

    it('refuses two Authorization headers, a forged token first and the real one second (node keeps the first)', async () => {
      const forged = token(f, header(f), hmacSha256(randomBytes(32)));
      const response = await send([`Authorization: Bearer ${forged}`, `Authorization: Bearer ${f.victim.accessToken}`]);
      expect(response.status).toBe(401);
      expect(response.rest).toContain('"UNAUTHENTICATED"');
      expect(response.rest).not.toContain(VICTIM.username);
    });

    it('answers the real token sent the same way (the control for the socket)', async () => {
      const response = await send([`Authorization: Bearer ${f.victim.accessToken}`]);
      expect(response.status).toBe(200);
      expect(response.rest).toContain(`"username":"${VICTIM.username}"`);
    });
  });

  it('refuses a valid token once its session has been logged out', async () => {
    const second = await login(f.server.call, VICTIM.username, VICTIM.password);
    const logout = await f.server.call<{ logout: boolean }>('mutation { logout }', { token: second.accessToken });
    expect(logout.data).toEqual({ logout: true });

    const value = `Bearer ${second.accessToken}`;
    expectRefused(await sendMe(f.server.url, value), f, value);
  });

  it('refuses a correctly signed token whose session was never created', async () => {
    const value = `Bearer ${signed(f, { ...liveClaims(f), sid: randomBytes(16).toString('base64url') })}`;
    expectRefused(await sendMe(f.server.url, value), f, value);
  });

  it("refuses a correctly signed token pairing another user's id with the victim's live session", async () => {
    const value = `Bearer ${signed(f, { ...liveClaims(f), sub: f.otherUserId })}`;
    expectRefused(await sendMe(f.server.url, value), f, value);
  });

  it('still accepts the real token after all the forgeries', async () => {
    expectAccepted(await sendMe(f.server.url, `Bearer ${f.victim.accessToken}`), f);
  });
});
