import jwt from 'jsonwebtoken';
import { jose } from '../support/native-jose';
import { clusterEnv, type Env } from '../support/test-env';
import { login } from '../support/graphql-caller';
import { activeKeyEntry, pemKeyPair, verifyOnlyKeyEntry } from '../support/key-fixtures';
import { startTestServer, type TestServer } from '../support/test-server';

const PASSWORD = 'correct horse battery';
const ME = `{ me { username } }`;

const rsa = pemKeyPair('rsa2048');
const ec = pemKeyPair('p256');
const ed = pemKeyPair('ed25519');

const keys = {
  rsActive: activeKeyEntry('rs-2026-05', 'RS256', rsa),
  rsVerifyOnly: verifyOnlyKeyEntry('rs-2026-05', 'RS256', rsa),
  esActive: activeKeyEntry('es-2026-11', 'ES256', ec),
  edActive: activeKeyEntry('ed-2026-11', 'EdDSA', ed),
};

/** A server on the shared cluster and key prefix, with the given key ring instead of JWT_SECRET. */
async function serverWithKeys(base: Env, ring: object[]): Promise<TestServer> {
  const { JWT_SECRET: _secret, ...env } = base;
  return startTestServer({ ...env, JWT_KEYS: JSON.stringify(ring) });
}

const kidOf = (token: string) => (jwt.decode(token, { complete: true }) as jwt.Jwt).header.kid;

describe('signing keys: rotation without logouts, removal, JWKS that another library trusts', () => {
  const base = clusterEnv();
  const running: TestServer[] = [];

  async function start(ring: object[]): Promise<TestServer> {
    const server = await serverWithKeys(base, ring);
    running.push(server);
    return server;
  }

  afterAll(async () => {
    await Promise.all(running.map((server) => server.close()));
  });

  it('keeps old tokens working when a new key becomes active, and refuses them once the old key is removed', async () => {
    const before = await start([keys.rsActive]);
    await before.deps.accounts.create({ username: 'sven', password: PASSWORD });
    const oldToken = (await login(before.call, 'sven', PASSWORD)).accessToken;
    expect(kidOf(oldToken)).toBe('rs-2026-05');

    const rotated = await start([keys.esActive, keys.rsVerifyOnly]);
    expect((await rotated.call(ME, { token: oldToken })).data).toEqual({ me: { username: 'sven' } });
    const newToken = (await login(rotated.call, 'sven', PASSWORD)).accessToken;
    expect(kidOf(newToken)).toBe('es-2026-11');
    expect((await rotated.call(ME, { token: newToken })).data).toEqual({ me: { username: 'sven' } });

    const retired = await start([keys.esActive]);
    const refused = await retired.call(ME, { token: oldToken });
    expect(refused.status).toBe(401);
    expect(refused.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect((await retired.call(ME, { token: newToken })).data).toEqual({ me: { username: 'sven' } });
  });

  it('refuses an HS256 token keyed with the RS256 public key under the RS256 kid (no key confusion)', async () => {
    const server = await start([keys.rsActive]);
    const { id } = await server.deps.accounts.create({ username: 'tove', password: PASSWORD });
    const genuine = await login(server.call, 'tove', PASSWORD);
    const claims = jwt.decode(genuine.accessToken) as jwt.JwtPayload;
    const publicPem = rsa.publicPem;
    // Built by hand: jsonwebtoken itself refuses to HMAC with a PEM public key.
    const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: 'rs-2026-05' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ ...claims, sub: id })).toString('base64url');
    const { createHmac } = await import('node:crypto');
    const signature = createHmac('sha256', publicPem).update(`${header}.${payload}`).digest('base64url');
    const forged = await server.call(ME, { token: `${header}.${payload}.${signature}` });
    expect(forged.status).toBe(401);
    expect(forged.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('publishes the public keys at /.well-known/jwks.json with cache headers, never a secret', async () => {
    const server = await start([keys.edActive, keys.rsVerifyOnly, { kid: 'hs-old', alg: 'HS256', secret: 'x'.repeat(40) }]);
    const response = await fetch(new URL('/.well-known/jwks.json', server.url));
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=300');
    const document = (await response.json()) as { keys: Record<string, unknown>[] };
    expect(document.keys.map((key) => [key.kid, key.alg, key.use])).toEqual([
      ['ed-2026-11', 'EdDSA', 'sig'],
      ['rs-2026-05', 'RS256', 'sig'],
    ]);
    for (const key of document.keys) {
      for (const privateMember of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k']) expect(key).not.toHaveProperty(privateMember);
    }
    expect(JSON.stringify(document)).not.toContain(Buffer.from('x'.repeat(40)).toString('base64url'));
  });

  it.each([
    ['RS256', [keys.rsActive]],
    ['ES256', [keys.esActive]],
    ['EdDSA', [keys.edActive]],
  ])('issues %s tokens that jose verifies through the remote JWKS', async (algorithm, ring) => {
    const server = await start(ring);
    const username = `jose-${algorithm.toLowerCase()}`;
    await server.deps.accounts.create({ username, password: PASSWORD });
    const { accessToken, user } = await login(server.call, username, PASSWORD);
    const jwks = jose.createRemoteJWKSet(new URL('/.well-known/jwks.json', server.url));
    const { payload, protectedHeader } = await jose.jwtVerify(accessToken, jwks, {
      issuer: server.config.jwt.issuer,
      audience: server.config.jwt.audience,
      algorithms: [algorithm],
    });
    expect(protectedHeader.alg).toBe(algorithm);
    expect(payload.sub).toBe(user.id);
  });
});
