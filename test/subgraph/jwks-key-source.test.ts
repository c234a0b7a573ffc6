import { createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import jwt from 'jsonwebtoken';
import { ServiceUnavailableError, UnauthenticatedError } from '@graphql-auth-service/subgraph/errors';
import { JWKS_PATH } from '../../src/server/jwks-route';
import { createJwksKeySource, type JwksKeySource } from '@graphql-auth-service/subgraph/jwks-key-source';
import { readJwks } from '@graphql-auth-service/subgraph/jwks/read-jwks';
import type { TokenAudience } from '@graphql-auth-service/subgraph/tokens/claims';
import { createKeyRing, type SigningRingKey } from '@graphql-auth-service/subgraph/tokens/key-ring';
import { signAccessToken } from '../../src/tokens/sign';
import { verifyAccessToken } from '@graphql-auth-service/subgraph/tokens/verify';
import { login } from '../support/graphql-caller';
import { activeKeyEntry, pemKeyPair, verifyOnlyKeyEntry } from '../support/key-fixtures';
import { startStubServer, type StubServer } from '../support/stub-server';
import { clusterEnv } from '../support/test-env';
import { startTestServer, type TestServer } from '../support/test-server';

const USER = 'subgraph-user';
const PASSWORD = 'correct horse battery';

const rsa = pemKeyPair('rsa2048');
const ec = pemKeyPair('p256');
const ed = pemKeyPair('ed25519');

const KID = { rs: 'rs-2026-05', es: 'es-2026-11', ed: 'ed-2026-11' } as const;
const ringEntry = {
  rsActive: activeKeyEntry(KID.rs, 'RS256', rsa),
  rsVerifyOnly: verifyOnlyKeyEntry(KID.rs, 'RS256', rsa),
  esActive: activeKeyEntry(KID.es, 'ES256', ec),
  edActive: activeKeyEntry(KID.ed, 'EdDSA', ed),
};

/** What the tiny endpoint answers: a real auth server's JWKS relayed as sent, a fixed answer, or a failure. */
type Answer =
  | { readonly relay: string }
  | { readonly status: number; readonly body: string; readonly cacheControl?: string }
  | 'hang'
  | 'stall-body'
  | 'drop';

/** A small real HTTP endpoint in front of (or instead of) the auth service, counting the requests it gets. */
class JwksHost {
  answer: Answer = 'drop';
  requests = 0;
  private server: StubServer | undefined;

  async start(): Promise<string> {
    this.server = await startStubServer((_req, res, server) => this.handle(res, server));
    return `${this.server.origin}${JWKS_PATH}`;
  }

  async stop(): Promise<void> {
    await this.server?.stop();
  }

  private async handle(res: ServerResponse, server: StubServer): Promise<void> {
    this.requests += 1;
    const answer = this.answer;
    if (answer === 'drop') return void res.socket?.destroy();
    if (answer === 'hang' || answer === 'stall-body') {
      server.hold(res);
      if (answer === 'stall-body') res.writeHead(200, { 'content-type': 'application/json' }).write('{"keys":[');
      return;
    }
    if ('relay' in answer) {
      const upstream = await fetch(answer.relay);
      const cacheControl = upstream.headers.get('cache-control');
      res.writeHead(upstream.status, { 'content-type': 'application/json', ...(cacheControl ? { 'cache-control': cacheControl } : {}) });
      return void res.end(await upstream.text());
    }
    const headers = { 'content-type': 'application/json', ...(answer.cacheControl ? { 'cache-control': answer.cacheControl } : {}) };
    res.writeHead(answer.status, headers).end(answer.body);
  }
}

/** A clock for the key source only (tokens keep real time), so cooldown and max age need no sleeping. */
function fakeClock() {
  let now = 1_700_000_000_000;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

const jwksUrl = (server: TestServer) => new URL(JWKS_PATH, server.url).href;
const audienceOf = (server: TestServer): TokenAudience => ({ issuer: server.config.jwt.issuer, audience: server.config.jwt.audience });
const kidOf = (token: string) => (jwt.decode(token, { complete: true }) as jwt.Jwt).header.kid as string;
const json = (body: unknown): Answer => ({ status: 200, body: JSON.stringify(body) });

async function expectUnavailable(promise: Promise<unknown>): Promise<void> {
  const outcome = await promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  expect(outcome).toEqual({ error: expect.any(ServiceUnavailableError) });
  expect((outcome as { error: ServiceUnavailableError }).error.code).toBe('SERVICE_UNAVAILABLE');
}

describe('createJwksKeySource: a subgraph verifying the auth service tokens through its JWKS', () => {
  const base = clusterEnv();
  const host = new JwksHost();
  let hostUrl: string;
  /** Before the rotation: RS256 signs. */
  let rsServer: TestServer;
  /** After it: ES256 signs, the RS256 key is kept to verify. */
  let esServer: TestServer;
  let edServer: TestServer;

  const withKeys = (ring: object[]) => {
    const { JWT_SECRET: _secret, ...env } = base;
    return startTestServer({ ...env, JWT_KEYS: JSON.stringify(ring) });
  };
  const relay = (server: TestServer): Answer => ({ relay: jwksUrl(server) });
  const tokenFrom = async (server: TestServer) => (await login(server.call, USER, PASSWORD)).accessToken;

  beforeAll(async () => {
    hostUrl = await host.start();
    [rsServer, esServer, edServer] = await Promise.all([
      withKeys([ringEntry.rsActive]),
      withKeys([ringEntry.esActive, ringEntry.rsVerifyOnly]),
      withKeys([ringEntry.edActive]),
    ]);
    // One key prefix for all three: the account exists on each.
    await rsServer.deps.accounts.create({ username: USER, password: PASSWORD });
  });
  afterAll(async () => {
    await Promise.all([rsServer, esServer, edServer].filter(Boolean).map((server) => server.close()));
    await host.stop();
  });
  beforeEach(() => {
    host.requests = 0;
    host.answer = 'drop';
  });

  describe('against the real service', () => {
    it.each([
      ['RS256', () => rsServer],
      ['ES256', () => esServer],
      ['EdDSA', () => edServer],
    ] as const)('verifies %s tokens it issues once resolve(kid) has loaded the key', async (algorithm, server) => {
      const source = createJwksKeySource({ url: jwksUrl(server()) });
      const { accessToken, user } = await login(server().call, USER, PASSWORD);
      const kid = kidOf(accessToken);
      expect(() => verifyAccessToken(source, audienceOf(server()), accessToken, Date.now())).toThrow(UnauthenticatedError);

      const key = await source.resolve(kid);
      expect(key).toMatchObject({ kid, algorithm });
      expect(key).not.toHaveProperty('signingKey');
      expect(key?.verificationKey.type).toBe('public');
      expect(source.find(kid)).toBe(key);
      expect(verifyAccessToken(source, audienceOf(server()), accessToken, Date.now()).sub).toBe(user.id);
    });

    it('picks up a key published later on its unknown kid, without waiting for the max age', async () => {
      const clock = fakeClock();
      host.answer = relay(rsServer);
      const source = createJwksKeySource({ url: hostUrl, now: clock.now });
      const oldToken = await tokenFrom(rsServer);
      expect(await source.resolve(kidOf(oldToken))).toMatchObject({ kid: KID.rs, algorithm: 'RS256' });
      expect(host.requests).toBe(1);

      host.answer = relay(esServer); // the rotation: ES256 is published and signs, RS256 stays to verify
      const newToken = await tokenFrom(esServer);
      expect(kidOf(newToken)).toBe(KID.es);
      clock.advance(1_000);
      expect(await source.resolve(KID.es)).toBeUndefined(); // within the cooldown of the first fetch
      expect(host.requests).toBe(1);

      clock.advance(29_000); // the cooldown is over; the max age (300 s) is far off
      expect(await source.resolve(KID.es)).toMatchObject({ kid: KID.es, algorithm: 'ES256' });
      expect(host.requests).toBe(2);
      expect(verifyAccessToken(source, audienceOf(esServer), newToken, Date.now()).sub).toBeTruthy();
      expect(await source.resolve(KID.rs)).toBeDefined();
      expect(verifyAccessToken(source, audienceOf(esServer), oldToken, Date.now()).sub).toBeTruthy();
      expect(host.requests).toBe(2);
    });

    it('refetches at the max age even if every kid is known (Cache-Control, or maxAgeMs), and forgets removed keys', async () => {
      const clock = fakeClock();
      host.answer = relay(rsServer);
      const source = createJwksKeySource({ url: hostUrl, now: clock.now });
      await source.resolve(KID.rs);
      clock.advance(299_999); // the service answers max-age=300
      expect(await source.resolve(KID.rs)).toBeDefined();
      expect(host.requests).toBe(1);

      host.answer = relay(edServer); // the RS256 key was removed
      clock.advance(1);
      expect(await source.resolve(KID.rs)).toBeUndefined();
      expect(source.find(KID.rs)).toBeUndefined();
      expect(await source.resolve(KID.ed)).toMatchObject({ algorithm: 'EdDSA' });
      expect(host.requests).toBe(2);

      const shortLived = createJwksKeySource({ url: hostUrl, now: clock.now, maxAgeMs: 60_000 });
      await shortLived.resolve(KID.ed);
      clock.advance(59_999);
      await shortLived.resolve(KID.ed);
      expect(host.requests).toBe(3);
      clock.advance(1);
      await shortLived.resolve(KID.ed);
      expect(host.requests).toBe(4);
    });

    it('fetches at most once per cooldown for a flood of unknown kids', async () => {
      const clock = fakeClock();
      host.answer = relay(rsServer);
      const source = createJwksKeySource({ url: hostUrl, now: clock.now });
      const token = await tokenFrom(rsServer);
      await source.resolve(KID.rs);
      const forgedKids = Array.from({ length: 100 }, (_, index) => `forged-${index}`);
      const flood = async () => {
        expect(await Promise.all(forgedKids.map((kid) => source.resolve(kid)))).toEqual(forgedKids.map(() => undefined));
        for (const kid of forgedKids) expect(await source.resolve(kid)).toBeUndefined();
      };

      await flood();
      expect(host.requests).toBe(1);
      clock.advance(30_000);
      await flood();
      expect(host.requests).toBe(2);
      clock.advance(29_999);
      await flood();
      expect(host.requests).toBe(2);
      clock.advance(1);
      await flood();
      expect(host.requests).toBe(3);

      const [, payload, signature] = token.split('.');
      const relabelled = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: 'forged-1' })).toString('base64url');
      const forged = `${relabelled}.${payload}.${signature}`;
      expect(() => verifyAccessToken(source, audienceOf(rsServer), forged, Date.now())).toThrow(UnauthenticatedError);
    });

    it('shares one request among concurrent resolve and refresh calls', async () => {
      host.answer = relay(rsServer);
      const source = createJwksKeySource({ url: hostUrl });
      const results = await Promise.all([
        ...Array.from({ length: 20 }, () => source.resolve(KID.rs)),
        ...Array.from({ length: 5 }, () => source.resolve('not-published')),
        source.refresh(),
        source.refresh(),
      ]);
      expect(host.requests).toBe(1);
      expect(new Set(results.slice(0, 20)).size).toBe(1);
      expect(results[0]).toMatchObject({ kid: KID.rs });
      expect(results.slice(20, 25)).toEqual([undefined, undefined, undefined, undefined, undefined]);
    });
  });

  describe('when the endpoint fails', () => {
    const failures: [string, Answer][] = [
      ['a 500', { status: 500, body: 'internal error' }],
      ['garbage instead of JSON', { status: 200, body: '<html>' }],
      ['JSON that is not a key set', json({ keys: { kid: KID.rs } })],
      ['a bare array of keys', json([])],
      ['null', json(null)],
      ['a document over 256 KiB', json({ keys: [], padding: 'x'.repeat(300_000) })],
      ['no answer within timeoutMs', 'hang'],
      ['headers, then a body that never ends', 'stall-body'],
      ['a dropped connection', 'drop'],
    ];

    it.each(failures)('%s gives ServiceUnavailableError, and the last good set stays', async (_name, failure) => {
      const clock = fakeClock();
      host.answer = failure;
      const source = createJwksKeySource({ url: hostUrl, timeoutMs: 200, now: clock.now });
      await expectUnavailable(source.resolve(KID.rs));
      await expectUnavailable(source.resolve(KID.rs)); // fails fast: asks again at most once a second
      expect(host.requests).toBe(1);
      expect(source.find(KID.rs)).toBeUndefined();

      host.answer = relay(rsServer);
      clock.advance(1_000);
      const key = await source.resolve(KID.rs);
      expect(key).toMatchObject({ kid: KID.rs });

      host.answer = failure;
      await expectUnavailable(source.refresh());
      expect(source.find(KID.rs)).toBe(key);
      expect(await source.resolve(KID.rs)).toBe(key); // still fresh: no request
      expect(host.requests).toBe(3);
    });

    it('gives up after timeoutMs, not later', async () => {
      host.answer = 'hang';
      const source = createJwksKeySource({ url: hostUrl, timeoutMs: 200 });
      const started = performance.now();
      await expectUnavailable(source.refresh());
      const elapsed = performance.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(150);
      expect(elapsed).toBeLessThan(2_000);
    });

    it('gives ServiceUnavailableError when the endpoint is down, keeping the last good set', async () => {
      const doomed = new JwksHost();
      const url = await doomed.start();
      doomed.answer = relay(rsServer);
      const source = createJwksKeySource({ url, timeoutMs: 200 });
      const key = await source.resolve(KID.rs);
      await doomed.stop();

      await expectUnavailable(source.refresh());
      expect(source.find(KID.rs)).toBe(key);
      await expectUnavailable(createJwksKeySource({ url, timeoutMs: 200 }).resolve(KID.rs));
    });

    it('fails closed: an unknown kid gets ServiceUnavailableError once per cooldown, a stale set is not trusted', async () => {
      const clock = fakeClock();
      host.answer = relay(rsServer);
      const source = createJwksKeySource({ url: hostUrl, timeoutMs: 200, now: clock.now });
      const key = await source.resolve(KID.rs);

      host.answer = { status: 503, body: '' };
      clock.advance(30_000);
      await expectUnavailable(source.resolve(KID.es)); // it could not ask
      expect(await source.resolve(KID.es)).toBeUndefined(); // within the cooldown of that attempt: no request
      expect(await source.resolve(KID.rs)).toBe(key); // still fresh
      expect(host.requests).toBe(2);

      clock.advance(270_000); // the set is now as old as its max age
      await expectUnavailable(source.resolve(KID.rs));
      await expectUnavailable(source.resolve(KID.rs));
      expect(host.requests).toBe(3);
      expect(source.find(KID.rs)).toBe(key); // the last good set stays for find

      host.answer = relay(rsServer);
      clock.advance(1_000);
      expect(await source.resolve(KID.rs)).toMatchObject({ kid: KID.rs });
      expect(host.requests).toBe(4);
    });
  });

  describe('no private key material, no secrets', () => {
    const good = pemKeyPair('ed25519');
    const rsaLeaked = pemKeyPair('rsa2048');
    const rsaSmall = pemKeyPair('rsa1024');
    const p384 = pemKeyPair('p384');
    const secret = randomBytes(32);

    /** A public key exports its public members; a private key exports them all, `d` (and RSA's p, q, ...) included. */
    const jwkOf = (key: KeyObject) => key.export({ format: 'jwk' });
    const sig = { use: 'sig' } as const;

    const document = {
      keys: [
        { ...jwkOf(good.publicKey), kid: 'good', alg: 'EdDSA', ...sig },
        { kty: 'oct', k: secret.toString('base64url'), kid: 'hs-secret', alg: 'HS256', ...sig },
        { kty: 'oct', k: secret.toString('base64url'), kid: 'oct-as-rs', alg: 'RS256', ...sig },
        { ...jwkOf(rsaLeaked.privateKey), kid: 'rs-private', alg: 'RS256', ...sig },
        { ...jwkOf(ec.privateKey), kid: 'es-private', alg: 'ES256', ...sig },
        { ...jwkOf(ed.privateKey), kid: 'ed-private', alg: 'EdDSA', ...sig },
        { ...jwkOf(rsa.publicKey), kid: 'for-encryption', alg: 'RS256', use: 'enc' },
        { ...jwkOf(rsa.publicKey), kid: 'no-use', alg: 'RS256' },
        { ...jwkOf(rsa.publicKey), kid: 'encrypt-only', alg: 'RS256', key_ops: ['encrypt'], ...sig },
        { ...jwkOf(rsa.publicKey), kid: 'rs512', alg: 'RS512', ...sig },
        { ...jwkOf(rsa.publicKey), kid: 'none', alg: 'none', ...sig },
        { ...jwkOf(rsa.publicKey), kid: 'no-alg', ...sig },
        { ...jwkOf(rsa.publicKey), alg: 'RS256', ...sig },
        { ...jwkOf(ec.publicKey), kid: 'ec-as-rs', alg: 'RS256', ...sig },
        { ...jwkOf(ec.publicKey), kid: 'ec-as-ed', alg: 'EdDSA', ...sig },
        { ...jwkOf(rsaSmall.publicKey), kid: 'rs-1024', alg: 'RS256', ...sig },
        { ...jwkOf(p384.publicKey), kid: 'p384', alg: 'ES256', ...sig },
        { ...jwkOf(rsa.publicKey), kid: 'twice', alg: 'RS256', ...sig },
        { ...jwkOf(ec.publicKey), kid: 'twice', alg: 'ES256', ...sig },
        { kty: 'RSA', n: 'not base64url!', e: 'AQAB', kid: 'broken', alg: 'RS256', ...sig },
        'not a key',
      ],
    };
    const refusedKids = [
      'hs-secret', 'oct-as-rs', 'rs-private', 'es-private', 'ed-private', 'for-encryption', 'no-use', 'encrypt-only',
      'rs512', 'none', 'no-alg', 'ec-as-rs', 'ec-as-ed', 'rs-1024', 'p384', 'twice', 'broken',
    ];

    it('keeps only sound public signing keys, skipping the others without failing', async () => {
      host.answer = json(document);
      const source = createJwksKeySource({ url: hostUrl, unknownKidCooldownMs: 0 });
      const key = await source.resolve('good');
      expect(key).toMatchObject({ kid: 'good', algorithm: 'EdDSA' });
      expect(key).not.toHaveProperty('signingKey');
      expect(key?.verificationKey.type).toBe('public');
      for (const kid of refusedKids) {
        expect([kid, await source.resolve(kid)]).toEqual([kid, undefined]);
      }

      const reading = readJwks(document);
      expect(reading.ok && [...reading.keys.keys()]).toEqual(['good']);
      const reasons = reading.ok ? reading.skipped.join('\n') : '';
      expect(reasons).toContain('holds private or secret key material');
      expect(reasons).toContain('RS256 needs an RSA key of at least 2048 bits');
      expect(reasons).not.toContain(secret.toString('base64url'));
    });

    it('refuses tokens signed with a secret or a private key that a JWKS exposed', async () => {
      host.answer = json(document);
      const source = createJwksKeySource({ url: hostUrl, unknownKidCooldownMs: 0 });
      const audience: TokenAudience = { issuer: 'auth', audience: 'api' };
      const now = Date.now();
      const signWith = (key: SigningRingKey) =>
        signAccessToken(createKeyRing(key), audience, {
          userId: 'u1',
          sessionId: 's1',
          authorities: ['ROLE_ADMIN'],
          issuedAtMs: now,
          expiresAtMs: now + 60_000,
        }).token;
      const hmac = createSecretKey(secret);
      const forgeries = [
        signWith({ kid: 'hs-secret', algorithm: 'HS256', signingKey: hmac, verificationKey: hmac }),
        signWith({ kid: 'rs-private', algorithm: 'RS256', signingKey: rsaLeaked.privateKey, verificationKey: rsaLeaked.publicKey }),
        signWith({ kid: 'ed-private', algorithm: 'EdDSA', signingKey: ed.privateKey, verificationKey: ed.publicKey }),
      ];
      for (const token of forgeries) {
        expect(await source.resolve(kidOf(token))).toBeUndefined();
        expect(() => verifyAccessToken(source, audience, token, now)).toThrow(UnauthenticatedError);
      }
      const genuine = signWith({ kid: 'good', algorithm: 'EdDSA', signingKey: good.privateKey, verificationKey: good.publicKey });
      await source.resolve('good');
      expect(verifyAccessToken(source, audience, genuine, now).sub).toBe('u1');
    });

    it('takes an empty key set as a set, not as an error', async () => {
      host.answer = json({ keys: [] });
      const source: JwksKeySource = createJwksKeySource({ url: hostUrl });
      expect(await source.resolve(KID.rs)).toBeUndefined();
      expect(host.requests).toBe(1);
    });
  });

  it('refuses options it cannot use', () => {
    expect(() => createJwksKeySource({ url: 'auth:4000/jwks' })).toThrow('absolute http(s) URL');
    expect(() => createJwksKeySource({ url: 'file:///etc/jwks.json' })).toThrow('absolute http(s) URL');
    expect(() => createJwksKeySource({ url: hostUrl, timeoutMs: 0 })).toThrow('timeoutMs');
    expect(() => createJwksKeySource({ url: hostUrl, maxAgeMs: Number.NaN })).toThrow('maxAgeMs');
    expect(() => createJwksKeySource({ url: hostUrl, unknownKidCooldownMs: -1 })).toThrow('unknownKidCooldownMs');
  });
});
