import { generateKeyPairSync, randomBytes } from 'node:crypto';
import jwt, { type Algorithm } from 'jsonwebtoken';
import { login, type LoginData } from '../support/graphql-caller';
import { clusterEnv, TEST_JWT_SECRET } from '../support/test-env';
import { startTestServer, type TestServer } from '../support/test-server';

const ME = '{ me { username } }';

/** What the forgeries are built from: a real user with a live session on a real server. */
interface Fixture {
  readonly server: TestServer;
  readonly victim: LoginData;
  readonly otherUserId: string;
  readonly kid: string;
  readonly issuer: string;
  readonly audience: string;
}

interface RawResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly body: { readonly data?: unknown; readonly errors?: readonly { message: string; extensions?: { code?: string } }[] };
}

type ClaimSet = Record<string, unknown>;

const VICTIM = { username: 'forgery-victim', password: 'correct horse battery staple' };

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

const base64url = (value: string | object): string =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value), 'utf8').toString('base64url');

/** The claims the server itself would issue for the victim's live session. */
function liveClaims(f: Fixture): ClaimSet {
  const now = nowSeconds();
  return {
    iss: f.issuer,
    aud: f.audience,
    sub: f.victim.user.id,
    sid: f.victim.session.id,
    jti: randomBytes(16).toString('base64url'),
    iat: now,
    exp: now + 600,
    auth: f.victim.user.authorities,
  };
}

function withoutClaim(claims: ClaimSet, name: string): ClaimSet {
  const { [name]: _removed, ...rest } = claims;
  return rest;
}

/** Signed with the test secret and the server's kid: only what the case changes is wrong. */
function signHs256(f: Fixture, claims: ClaimSet, kid: { readonly keyid?: string } = { keyid: f.kid }): string {
  return jwt.sign(claims, TEST_JWT_SECRET, { algorithm: 'HS256', ...kid });
}

function segments(token: string): [string, string, string] {
  const [header, payload, signature] = token.split('.');
  return [header, payload, signature];
}

/** Changes the payload of a real token and keeps its header and signature. */
function tamper(token: string, change: (claims: ClaimSet) => ClaimSet): string {
  const [header, payload, signature] = segments(token);
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as ClaimSet;
  return `${header}.${base64url(change(claims))}.${signature}`;
}

function unsignedToken(f: Fixture, alg: string, withSignature: boolean): string {
  const header = base64url({ alg, typ: 'JWT', kid: f.kid });
  const payload = base64url(liveClaims(f));
  const signature = withSignature ? segments(f.victim.accessToken)[2] : '';
  return `${header}.${payload}.${signature}`;
}

function rsaToken(f: Fixture): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return jwt.sign(liveClaims(f), privateKey, { algorithm: 'RS256', keyid: f.kid });
}

interface ForgeryCase {
  readonly name: string;
  readonly authorization: (f: Fixture) => string;
}

const bearer =
  (build: (f: Fixture) => string) =>
  (f: Fixture): string =>
    `Bearer ${build(f)}`;

const algNoneCases: ForgeryCase[] = ['none', 'None', 'NONE', 'nOnE'].flatMap((alg) => [
  { name: `alg "${alg}" with an empty signature`, authorization: bearer((f) => unsignedToken(f, alg, false)) },
  { name: `alg "${alg}" with a signature segment`, authorization: bearer((f) => unsignedToken(f, alg, true)) },
]);

const otherAlgorithmCases: ForgeryCase[] = (['HS384', 'HS512'] as Algorithm[]).map((algorithm) => ({
  name: `signed with the right secret and kid but ${algorithm} instead of the pinned HS256`,
  authorization: bearer((f) => jwt.sign(liveClaims(f), TEST_JWT_SECRET, { algorithm, keyid: f.kid })),
}));

const forgeries: ForgeryCase[] = [
  ...algNoneCases,
  {
    name: 'payload tampered to another user id, original signature kept',
    authorization: bearer((f) => tamper(f.victim.accessToken, (claims) => ({ ...claims, sub: f.otherUserId }))),
  },
  {
    name: 'payload tampered to add ROLE_ADMIN, original signature kept',
    authorization: bearer((f) =>
      tamper(f.victim.accessToken, (claims) => ({ ...claims, auth: [...(claims.auth as string[]), 'ROLE_ADMIN'] })),
    ),
  },
  {
    name: 'signed with another 32-byte secret under the real kid',
    authorization: bearer((f) => jwt.sign(liveClaims(f), randomBytes(32), { algorithm: 'HS256', keyid: f.kid })),
  },
  ...otherAlgorithmCases,
  { name: 'RS256 signed with a freshly generated RSA key under the real kid', authorization: bearer(rsaToken) },
  {
    name: 'expired (exp in the past)',
    authorization: bearer((f) => signHs256(f, { ...liveClaims(f), iat: nowSeconds() - 3600, exp: nowSeconds() - 60 })),
  },
  {
    name: 'not valid yet (nbf in the future)',
    authorization: bearer((f) => signHs256(f, { ...liveClaims(f), nbf: nowSeconds() + 300 })),
  },
  {
    name: 'wrong issuer',
    authorization: bearer((f) => signHs256(f, { ...liveClaims(f), iss: `${f.issuer}-evil` })),
  },
  {
    name: 'wrong audience',
    authorization: bearer((f) => signHs256(f, { ...liveClaims(f), aud: `${f.audience}-other` })),
  },
  { name: 'no sid claim', authorization: bearer((f) => signHs256(f, withoutClaim(liveClaims(f), 'sid'))) },
  { name: 'no sub claim', authorization: bearer((f) => signHs256(f, withoutClaim(liveClaims(f), 'sub'))) },
  { name: 'no kid in the header', authorization: bearer((f) => signHs256(f, liveClaims(f), {})) },
  { name: 'a kid the server does not know', authorization: bearer((f) => signHs256(f, liveClaims(f), { keyid: 'not-a-known-kid' })) },
  {
    name: 'a JWT-typed header whose payload is not JSON',
    authorization: bearer((f) => `${base64url({ alg: 'HS256', typ: 'JWT', kid: f.kid })}.${base64url('not json')}.c2ln`),
  },
  { name: 'garbage "abc"', authorization: () => 'Bearer abc' },
  { name: 'garbage "a.b.c"', authorization: () => 'Bearer a.b.c' },
  { name: 'garbage "..."', authorization: () => 'Bearer ...' },
  { name: '10 KB of "a"', authorization: () => `Bearer ${'a'.repeat(10 * 1024)}` },
  { name: 'bytes outside base64url', authorization: () => 'Bearer \u00e9\u00ff%*!<>{}' },
  {
    name: 'a valid token with a space inside it',
    authorization: (f) => {
      const [header, payload, signature] = segments(f.victim.accessToken);
      return `Bearer ${header}.${payload}. ${signature}`;
    },
  },
  {
    name: 'Basic credentials of the real user',
    authorization: () => `Basic ${Buffer.from(`${VICTIM.username}:${VICTIM.password}`).toString('base64')}`,
  },
  { name: 'a valid token under another scheme ("Token")', authorization: (f) => `Token ${f.victim.accessToken}` },
  { name: '"Bearer" alone', authorization: () => 'Bearer' },
  { name: '"Bearer a b"', authorization: () => 'Bearer a b' },
  { name: 'an empty Authorization header', authorization: () => '' },
];

async function sendMe(url: string, authorization: string): Promise<RawResponse> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body: JSON.stringify({ query: ME }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: JSON.parse(text) as RawResponse['body'] };
}

/** The credential part of the header: what must never be echoed back. */
function credentialOf(authorization: string): string {
  const space = authorization.indexOf(' ');
  return space === -1 ? '' : authorization.slice(space + 1);
}

function expectRefused(response: RawResponse, f: Fixture, authorization: string): void {
  expect(response.status).toBe(401);
  expect(response.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  expect(response.body.data ?? null).toBeNull();
  expect(response.headers.get('www-authenticate')).toContain('Bearer');
  // Nothing about the user, the token or the server's insides goes back to the caller.
  expect(response.text).not.toContain(f.victim.user.id);
  expect(response.text).not.toContain(VICTIM.username);
  const credential = credentialOf(authorization);
  if (credential.length > 0) expect(response.text).not.toContain(credential);
  expect(response.text).not.toMatch(/\bat \S[^"]*:\d+:\d+/);
  expect(response.text).not.toMatch(/stacktrace|node_modules|\.ts:\d+/i);
}

describe('forged and malformed tokens are refused with 401 UNAUTHENTICATED', () => {
  let f: Fixture;

  beforeAll(async () => {
    const server = await startTestServer(clusterEnv());
    await server.deps.accounts.create({ ...VICTIM, authorities: ['orders:read'] });
    const other = await server.deps.accounts.create({ username: 'forgery-other', password: 'another long password' });
    const victim = await login(server.call, VICTIM.username, VICTIM.password);
    f = {
      server,
      victim,
      otherUserId: other.id,
      kid: server.deps.keyRing.active.kid,
      issuer: server.config.jwt.issuer,
      audience: server.config.jwt.audience,
    };
  });

  afterAll(async () => {
    await f.server.close();
  });

  it('accepts the real token and a hand-built one with the real secret, kid and live session (the control)', async () => {
    for (const token of [f.victim.accessToken, signHs256(f, liveClaims(f))]) {
      const response = await sendMe(f.server.url, `Bearer ${token}`);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ data: { me: { username: VICTIM.username } } });
    }
  });

  it.each(forgeries)('refuses $name', async ({ authorization }) => {
    const header = authorization(f);
    expectRefused(await sendMe(f.server.url, header), f, header);
  });

  it('refuses a valid token once its session has been logged out', async () => {
    const second = await login(f.server.call, VICTIM.username, VICTIM.password);
    const logout = await f.server.call<{ logout: boolean }>('mutation { logout }', { token: second.accessToken });
    expect(logout.data).toEqual({ logout: true });

    const header = `Bearer ${second.accessToken}`;
    expectRefused(await sendMe(f.server.url, header), f, header);
  });

  it('refuses a correctly signed token whose session was never created', async () => {
    const header = `Bearer ${signHs256(f, { ...liveClaims(f), sid: randomBytes(16).toString('base64url') })}`;
    expectRefused(await sendMe(f.server.url, header), f, header);
  });

  it("refuses a correctly signed token pairing another user's id with the victim's live session", async () => {
    const header = `Bearer ${signHs256(f, { ...liveClaims(f), sub: f.otherUserId })}`;
    expectRefused(await sendMe(f.server.url, header), f, header);
  });

  it('still accepts the real token after all the forgeries', async () => {
    const response = await sendMe(f.server.url, `Bearer ${f.victim.accessToken}`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ data: { me: { username: VICTIM.username } } });
  });
});
