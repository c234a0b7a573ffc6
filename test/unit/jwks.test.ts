import { readFileSync } from 'node:fs';
import { readJwks } from '@graphql-auth-service/subgraph/jwks/read-jwks';
import { jwksDocument, type JwksDocument } from '../../src/tokens/jwks';
import type { KeyRing } from '@graphql-auth-service/subgraph/tokens/key-ring';
import { signingKeysFromSpecs } from '../../src/tokens/load-signing-keys';
import { keyRingOf } from '../../src/tokens/signing-key-set';
import { signAccessToken } from '../../src/tokens/sign';
import { verifyAccessToken } from '@graphql-auth-service/subgraph/tokens/verify';
import { makeKeys, pemKeyPair, TEST_HMAC_SECRET, testAudience, testNow, testTokenRequest } from '../support/key-fixtures';
import { jose } from '../support/native-jose';

const keys = makeKeys();
const SECRET = TEST_HMAC_SECRET;
const readFile = (path: string): string => readFileSync(path, 'utf8');

const audience = testAudience;
const now = testNow;
const request = testTokenRequest;

const specs = {
  hs: { kid: 'hs', alg: 'HS256', secret: SECRET },
  rs: { kid: 'rs', alg: 'RS256', privateKey: keys.rsa.privatePem },
  es: { kid: 'es', alg: 'ES256', privateKey: keys.p256.privatePem },
  ed: { kid: 'ed', alg: 'EdDSA', privateKey: keys.ed25519.privatePem },
  edPublicOnly: { kid: 'ed-next', alg: 'EdDSA', publicKey: nextEd25519PublicPem() },
} as const;
type SpecName = keyof typeof specs;

function nextEd25519PublicPem(): string {
  return pemKeyPair('ed25519').publicPem;
}

/** jose's key set over our document; jose's type wants a mutable array, ours is readonly. */
const localJwks = (keyRing: KeyRing) =>
  jose.createLocalJWKSet(jwksDocument(keyRing) as Parameters<typeof jose.createLocalJWKSet>[0]);

function ring(active: SpecName, ...others: SpecName[]): KeyRing {
  const result = signingKeysFromSpecs(
    JSON.stringify([{ ...specs[active], active: true }, ...others.map((name) => specs[name])]),
    readFile,
  );
  if (!result.ok) throw new Error(result.problems.join('\n'));
  return keyRingOf(result.keys);
}

const PUBLIC_MEMBERS = ['kty', 'kid', 'alg', 'use', 'n', 'e', 'crv', 'x', 'y'];
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth'];

describe('jwksDocument', () => {
  const fullRing = ring('hs', 'rs', 'es', 'ed', 'edPublicOnly');
  const document = jwksDocument(fullRing);

  it('publishes every asymmetric key, active or verify-only, with kid, alg and use, and no HS256 key', () => {
    expect(document.keys.map(({ kid, alg, use, kty }) => ({ kid, alg, use, kty }))).toEqual([
      { kid: 'rs', alg: 'RS256', use: 'sig', kty: 'RSA' },
      { kid: 'es', alg: 'ES256', use: 'sig', kty: 'EC' },
      { kid: 'ed', alg: 'EdDSA', use: 'sig', kty: 'OKP' },
      { kid: 'ed-next', alg: 'EdDSA', use: 'sig', kty: 'OKP' },
    ]);
  });

  it('holds exactly the public JWK members of each key, and nothing private', () => {
    for (const jwk of document.keys) {
      for (const name of Object.keys(jwk)) expect(PUBLIC_MEMBERS).toContain(name);
      for (const name of PRIVATE_MEMBERS) expect(jwk).not.toHaveProperty(name);
      const { kid: _kid, alg: _alg, use: _use, ...members } = jwk;
      expect(members).toEqual(fullRing.find(jwk.kid)?.verificationKey.export({ format: 'jwk' }));
    }
  });

  it('never carries the HMAC secret or any private key material, in any encoding', () => {
    const text = JSON.stringify(document);
    const privateValues = [keys.rsa, keys.p256, keys.ed25519].flatMap((pair) =>
      Object.entries(pair.privateKey.export({ format: 'jwk' }))
        .filter(([name]) => PRIVATE_MEMBERS.includes(name))
        .map(([, value]) => String(value)),
    );
    for (const value of [SECRET, Buffer.from(SECRET).toString('base64url'), ...privateValues]) {
      expect(text).not.toContain(value);
    }
  });

  it('is read back whole by the kit a subgraph verifies with: every published key, same kid, algorithm and key', () => {
    const reading = readJwks(JSON.parse(JSON.stringify(document)));
    if (!reading.ok) throw new Error(reading.problem);
    expect(reading.skipped).toEqual([]);
    expect([...reading.keys.keys()]).toEqual(document.keys.map((jwk) => jwk.kid));
    for (const key of reading.keys.values()) {
      const ours = fullRing.find(key.kid);
      expect(key.algorithm).toBe(ours?.algorithm);
      expect(ours && key.verificationKey.equals(ours.verificationKey)).toBe(true);
    }
  });

  it('is an empty key set for a ring of HS256 keys only', () => {
    expect(jwksDocument(ring('hs'))).toEqual({ keys: [] });
  });

  it('survives JSON serialisation unchanged (it is served as JSON)', () => {
    expect(JSON.parse(JSON.stringify(document)) as JwksDocument).toEqual(document);
  });
});

describe.each([
  ['RS256', 'rs'],
  ['ES256', 'es'],
  ['EdDSA', 'ed'],
] as const)('%s interop with jose (an independent JOSE implementation)', (alg, name) => {
  const others = (['hs', 'rs', 'es', 'ed'] as const).filter((other) => other !== name);
  const keyRing = ring(name, ...others);
  const jwks = localJwks(keyRing);
  const options = { issuer: audience.issuer, audience: audience.audience, currentDate: new Date(now) };

  it('verifies our token through the JWKS, issuer and audience checked', async () => {
    const { token, claims } = signAccessToken(keyRing, audience, request);
    const { payload, protectedHeader } = await jose.jwtVerify(token, jwks, { ...options, algorithms: [alg] });
    expect(protectedHeader).toEqual({ alg, typ: 'JWT', kid: name });
    expect(payload).toEqual(claims);
  });

  it('refuses our token for another issuer or audience, and once expired', async () => {
    const { token } = signAccessToken(keyRing, audience, request);
    await expect(jose.jwtVerify(token, jwks, { ...options, issuer: 'someone-else' })).rejects.toThrow(/"iss"/);
    await expect(jose.jwtVerify(token, jwks, { ...options, audience: 'another-api' })).rejects.toThrow(/"aud"/);
    const expired = { ...options, currentDate: new Date(request.expiresAtMs) };
    await expect(jose.jwtVerify(token, jwks, expired)).rejects.toThrow(/"exp"/);
  });

  it('signs a token our verify.ts accepts (jose signing, our verification)', async () => {
    const pkcs8 = keyRing.active.signingKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const privateKey = await jose.importPKCS8(pkcs8, alg);
    const token = await new jose.SignJWT({ sid: request.sessionId, auth: ['orders:read'] })
      .setProtectedHeader({ alg, kid: name })
      .setIssuer(audience.issuer)
      .setAudience(audience.audience)
      .setSubject(request.userId)
      .setJti('jose-jti')
      .setIssuedAt(now / 1000)
      .setExpirationTime(now / 1000 + 60)
      .sign(privateKey);
    expect(verifyAccessToken(keyRing, audience, token, now)).toMatchObject({ sub: request.userId, jti: 'jose-jti' });
  });
});

describe('what the JWKS does not open', () => {
  const keyRing = ring('hs', 'rs');
  const jwks = localJwks(keyRing);

  it('has no key for an HS256 token: jose does not even look for one (HS256 is unsupported in a key set)', async () => {
    const { token } = signAccessToken(keyRing, audience, request);
    await expect(jose.jwtVerify(token, jwks, { currentDate: new Date(now) })).rejects.toMatchObject({
      code: 'ERR_JOSE_NOT_SUPPORTED',
    });
  });

  it('has no key under the HS256 kid, even for a token that claims RS256', async () => {
    const rsOnly = ring('rs');
    const [, payload, signature] = signAccessToken(rsOnly, audience, request).token.split('.');
    const header = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: 'hs' })).toString('base64url');
    const forged = `${header}.${payload}.${signature}`;
    await expect(jose.jwtVerify(forged, jwks, { currentDate: new Date(now) })).rejects.toMatchObject({
      code: 'ERR_JWKS_NO_MATCHING_KEY',
    });
  });
});
