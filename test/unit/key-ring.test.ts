import { createHmac, createSecretKey, sign as cryptoSign, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import jwt from 'jsonwebtoken';
import { UnauthenticatedError } from '@graphql-auth-service/subgraph/errors';
import type { KeyAlgorithm } from '@graphql-auth-service/subgraph/tokens/key-algorithm';
import { createKeyRing, type KeyRing, type RingKey, type SigningRingKey } from '@graphql-auth-service/subgraph/tokens/key-ring';
import { loadSigningKeys, signingKeysFromSpecs } from '../../src/tokens/load-signing-keys';
import { keyRingOf } from '../../src/tokens/signing-key-set';
import { signAccessToken } from '../../src/tokens/sign';
import { signJws } from '../../src/tokens/sign-jws';
import { SIGNATURE_ALGORITHMS } from '@graphql-auth-service/subgraph/tokens/signature-algorithms';
import { verifyAccessToken } from '@graphql-auth-service/subgraph/tokens/verify';
import {
  keyFolder,
  makeKeys,
  pemKeyPair,
  TEST_HMAC_SECRET,
  testAudience,
  testNow,
  testTokenRequest,
} from '../support/key-fixtures';

const keys = makeKeys();
const SECRET = TEST_HMAC_SECRET;
const readFile = (path: string): string => readFileSync(path, 'utf8');

const audience = testAudience;
const now = testNow;
const nowSeconds = now / 1000;
const request = testTokenRequest;

/** One spec per algorithm; `kid` is the algorithm's name. */
const specFor: Record<KeyAlgorithm, Record<string, unknown>> = {
  HS256: { kid: 'HS256', alg: 'HS256', secret: SECRET },
  RS256: { kid: 'RS256', alg: 'RS256', privateKey: keys.rsa.privatePem },
  ES256: { kid: 'ES256', alg: 'ES256', privateKey: keys.p256.privatePem },
  EdDSA: { kid: 'EdDSA', alg: 'EdDSA', privateKey: keys.ed25519.privatePem },
};
const ALGORITHMS = Object.keys(specFor) as KeyAlgorithm[];

/** A ring whose active key is `active`, keeping `verifyOnly` for verification (by algorithm name). */
function ring(active: KeyAlgorithm, verifyOnly = ALGORITHMS.filter((alg) => alg !== active)): KeyRing {
  const specs = [{ ...specFor[active], active: true }, ...verifyOnly.map((alg) => specFor[alg])];
  const result = signingKeysFromSpecs(JSON.stringify(specs), readFile);
  if (!result.ok) throw new Error(result.problems.join('\n'));
  return keyRingOf(result.keys);
}

const allKeys = ring('HS256');
const keyOf = (alg: KeyAlgorithm): SigningRingKey => allKeys.find(alg) as SigningRingKey;

function liveClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    iss: audience.issuer,
    aud: audience.audience,
    sub: request.userId,
    sid: request.sessionId,
    jti: 'jti-under-test',
    iat: nowSeconds,
    exp: nowSeconds + 900,
    auth: [],
    ...overrides,
  };
}

const b64 = (value: object | string): string =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** An HS256 JWS computed by hand, so nothing in a library decides which key material is acceptable. */
function hs256By(secret: Buffer | string, header: Record<string, unknown>, claims = liveClaims()): string {
  const input = `${b64(header)}.${b64(claims)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

/** A JWS made with node:crypto alone, so claims are signed exactly as given, whatever a library would check. */
function rawJws(alg: KeyAlgorithm, key: KeyObject, header: Record<string, unknown>, claims = liveClaims()): string {
  const input = `${b64(header)}.${b64(claims)}`;
  const data = Buffer.from(input);
  const signature =
    alg === 'HS256'
      ? createHmac('sha256', key).update(data).digest()
      : alg === 'EdDSA'
        ? cryptoSign(null, data, key)
        : cryptoSign('sha256', data, alg === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' } : key);
  return `${input}.${signature.toString('base64url')}`;
}

/** Signed by the ring's `alg` key under its own kid, with these claims. */
const signedAs = (alg: KeyAlgorithm, claims: Record<string, unknown>): string =>
  rawJws(alg, keyOf(alg).signingKey, { alg, typ: 'JWT', kid: alg }, claims);

function reasonOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof UnauthenticatedError) return error.logReason;
    throw error;
  }
  throw new Error('expected an UnauthenticatedError');
}

const verify = (keyRing: KeyRing, token: string, atMs = now): unknown =>
  verifyAccessToken(keyRing, audience, token, atMs);
const refusal = (keyRing: KeyRing, token: string, atMs = now): string | undefined =>
  reasonOf(() => verify(keyRing, token, atMs));

describe.each(ALGORITHMS)('%s: signed by sign.ts, verified by verify.ts', (alg) => {
  const keyRing = ring(alg);

  it('signs with the active key: its algorithm and kid in the header, and verifies back to the same claims', () => {
    const { token, claims } = signAccessToken(keyRing, audience, request);
    expect(jwt.decode(token, { complete: true })?.header).toEqual({ alg, typ: 'JWT', kid: alg });
    expect(verify(keyRing, token, now + 1_000)).toEqual(claims);
  });

  it('accepts the token until the second before exp, and refuses it from exp on as expired', () => {
    const { token } = signAccessToken(keyRing, audience, request);
    expect(verify(keyRing, token, request.expiresAtMs - 1_000)).toBeDefined();
    expect(refusal(keyRing, token, request.expiresAtMs)).toBe('expired');
  });

  it.each([
    ['another issuer', { iss: 'someone-else' }],
    ['another audience', { aud: 'another-api' }],
    ['an nbf in the future', { nbf: nowSeconds + 60 }],
    ['an nbf that is not a number', { nbf: 'soon' }],
  ])('refuses a token with %s', (_name, overrides) => {
    expect(refusal(keyRing, signedAs(alg, liveClaims(overrides)))).toBe('invalid');
  });

  it('accepts a token signed independently (node:crypto): the refusals below are about the claims', () => {
    expect(verify(keyRing, signedAs(alg, liveClaims()))).toBeDefined();
  });

  it('accepts an audience list that holds our audience', () => {
    expect(verify(keyRing, signedAs(alg, liveClaims({ aud: ['other', audience.audience] })))).toBeDefined();
  });

  it('refuses a validly signed token without a session id', () => {
    expect(refusal(keyRing, signedAs(alg, liveClaims({ sid: undefined })))).toBe('missing claims');
  });

  it('refuses a tampered payload under the original signature', () => {
    const [header, , signature] = signAccessToken(keyRing, audience, request).token.split('.');
    const tampered = `${header}.${b64(liveClaims({ auth: ['ROLE_ADMIN'] }))}.${signature}`;
    expect(refusal(keyRing, tampered)).toBe('invalid');
  });

  it('refuses a token signed by another key of the same algorithm under this kid', () => {
    const impostor = signingKeysFromSpecs(JSON.stringify([{ ...impostorSpec(alg), kid: alg, active: true }]), readFile);
    if (!impostor.ok) throw new Error(impostor.problems.join('\n'));
    const { token } = signAccessToken(keyRingOf(impostor.keys), audience, request);
    expect(refusal(keyRing, token)).toBe('invalid');
  });
});

function impostorSpec(alg: KeyAlgorithm): Record<string, unknown> {
  if (alg === 'HS256') return { alg, secret: `${SECRET}-but-another-one` };
  return { alg, privateKey: pemKeyPair(alg === 'RS256' ? 'rsa2048' : alg === 'ES256' ? 'p256' : 'ed25519').privatePem };
}

describe('rotation', () => {
  it('verifies a token of the old key once it is verify-only, and new tokens name the new key', () => {
    const { token: oldToken } = signAccessToken(ring('RS256', []), audience, request);
    const rotated = ring('EdDSA', ['RS256']);
    expect(verify(rotated, oldToken)).toMatchObject({ sid: request.sessionId });
    const { token: newToken } = signAccessToken(rotated, audience, request);
    expect(jwt.decode(newToken, { complete: true })?.header.kid).toBe('EdDSA');
  });

  it('moves from HS256 to an asymmetric key without logging anybody out', () => {
    const { token: hsToken } = signAccessToken(ring('HS256', []), audience, request);
    expect(verify(ring('ES256', ['HS256']), hsToken)).toMatchObject({ sub: request.userId });
  });

  it('refuses a token of a key that was removed from the ring', () => {
    const { token } = signAccessToken(ring('RS256', []), audience, request);
    expect(refusal(ring('ES256', []), token)).toBe('unknown key');
  });

  it('refuses an unknown kid and a token without a kid', () => {
    const key = keyOf('HS256');
    expect(refusal(allKeys, hs256By(SECRET, { alg: 'HS256', typ: 'JWT', kid: 'no-such-key' }))).toBe('unknown key');
    expect(refusal(allKeys, hs256By(SECRET, { alg: 'HS256', typ: 'JWT' }))).toBe('unknown key');
    expect(verify(allKeys, hs256By(SECRET, { alg: 'HS256', typ: 'JWT', kid: key.kid }))).toBeDefined();
  });

  it('verifies tokens of a published-ahead key as soon as it signs, on instances not yet switched', () => {
    const notYetSwitched = ring('RS256', ['ES256']);
    const { token } = signAccessToken(ring('ES256', ['RS256']), audience, request);
    expect(verify(notYetSwitched, token)).toBeDefined();
  });
});

describe('key confusion and algorithm pinning', () => {
  const publicForms = (alg: 'RS256' | 'ES256' | 'EdDSA'): [string, Buffer | string][] => {
    const publicKey = keyOf(alg).verificationKey;
    const forms: [string, Buffer | string][] = [
      ['SPKI PEM', publicKey.export({ type: 'spki', format: 'pem' }).toString()],
      ['SPKI DER', publicKey.export({ type: 'spki', format: 'der' })],
      ['JWK JSON', JSON.stringify(publicKey.export({ format: 'jwk' }))],
    ];
    if (alg === 'RS256') forms.push(['PKCS#1 PEM', publicKey.export({ type: 'pkcs1', format: 'pem' }).toString()]);
    return forms;
  };
  const confusionCases = (['RS256', 'ES256', 'EdDSA'] as const).flatMap((alg) =>
    publicForms(alg).map(([form, secret]) => ({ alg, form, secret })),
  );

  it.each(confusionCases)(
    'refuses an HS256 token whose HMAC secret is the $alg public key ($form), under the $alg kid',
    ({ alg, secret }) => {
      const forged = hs256By(secret, { alg: 'HS256', typ: 'JWT', kid: alg });
      expect(refusal(allKeys, forged)).toBe('algorithm mismatch');
    },
  );

  it('has a second wall behind the pin: jsonwebtoken itself refuses a public KeyObject for HS256', () => {
    const forged = hs256By(keyOf('RS256').verificationKey.export({ type: 'spki', format: 'pem' }).toString(), {
      alg: 'HS256',
      kid: 'RS256',
    });
    expect(() => jwt.verify(forged, keyOf('RS256').verificationKey, { algorithms: ['HS256'] })).toThrow(
      /must be a symmetric key/,
    );
  });

  it('has the same wall in the algorithm table: jwa refuses a public KeyObject as an HS256 secret', () => {
    const publicKey = keyOf('RS256').verificationKey;
    const input = `${b64({ alg: 'HS256', kid: 'RS256' })}.${b64(liveClaims())}`;
    const signature = createHmac('sha256', publicKey.export({ type: 'spki', format: 'pem' })).update(input).digest('base64url');
    expect(SIGNATURE_ALGORITHMS.HS256(input, signature, publicKey)).toBe('invalid');
  });

  it.each(['RS256', 'ES256', 'EdDSA'] as const)('refuses a %s-signed token carrying the HS256 key\'s kid', (alg) => {
    const token = rawJws(alg, keyOf(alg).signingKey, { alg, typ: 'JWT', kid: 'HS256' });
    expect(refusal(allKeys, token)).toBe('algorithm mismatch');
  });

  it.each(ALGORITHMS)('refuses alg "none" (and its spellings) under the %s kid, with or without a signature', (alg) => {
    const signature = signJws(keyOf(alg), liveClaims()).split('.')[2];
    for (const none of ['none', 'None', 'NONE']) {
      const unsigned = `${b64({ alg: none, typ: 'JWT', kid: alg })}.${b64(liveClaims())}`;
      expect(refusal(allKeys, `${unsigned}.`)).toBe('algorithm mismatch');
      expect(refusal(allKeys, `${unsigned}.${signature}`)).toBe('algorithm mismatch');
    }
  });

  it.each([
    ['HS512 under the HS256 kid', 'HS512', 'HS256'],
    ['ES256 under the EdDSA kid', 'ES256', 'EdDSA'],
    ['EdDSA under the ES256 kid', 'EdDSA', 'ES256'],
    ['PS256 under the RS256 kid', 'PS256', 'RS256'],
    ['lower-case hs256 under the HS256 kid', 'hs256', 'HS256'],
  ])('refuses %s', (_name, alg, kid) => {
    expect(refusal(allKeys, hs256By(SECRET, { alg, typ: 'JWT', kid }))).toBe('algorithm mismatch');
  });

  it('refuses a critical header it does not understand', () => {
    expect(refusal(allKeys, hs256By(SECRET, { alg: 'HS256', kid: 'HS256', crit: ['exp'] }))).toBe(
      'unsupported critical header',
    );
  });

  it('refuses malformed EdDSA tokens before any claim is read', () => {
    const token = signJws(keyOf('EdDSA'), liveClaims());
    const [header, payload, signature] = token.split('.');
    expect(refusal(allKeys, `${header}.${payload}.${signature.slice(0, -2)}`)).toBe('malformed');
    expect(refusal(allKeys, `${header}.${payload}.${signature}=`)).toBe('malformed');
    expect(refusal(allKeys, `${header}.${b64('not json')}.${signature}`)).toBe('malformed');
  });
});

describe('createKeyRing', () => {
  const hs = keyOf('HS256');
  const rs = keyOf('RS256');
  const es = keyOf('ES256');
  const otherRsaPublicKey = pemKeyPair('rsa2048').publicKey;
  const shortSecret = createSecretKey(Buffer.alloc(16, 1));
  const otherSecret = createSecretKey(Buffer.alloc(32, 2));

  it('lists every key, the active one first, and finds each by kid', () => {
    const keyRing = createKeyRing(es, [hs, rs]);
    expect(keyRing.keys().map((key) => key.kid)).toEqual(['ES256', 'HS256', 'RS256']);
    expect(keyRing.find('RS256')).toBe(rs);
    expect(keyRing.find('nope')).toBeUndefined();
  });

  const unsound: [string, RingKey, RegExp][] = [
    ['an EC key pinned to RS256', { ...es, kid: 'x', algorithm: 'RS256' }, /RS256 needs an RSA key/],
    ['a private verification key', { ...rs, kid: 'x', verificationKey: rs.signingKey }, /must be a public key/],
    ['a public signing key', { ...rs, kid: 'x', signingKey: rs.verificationKey }, /must be a private key/],
    ['halves of two pairs', { ...rs, kid: 'x', verificationKey: otherRsaPublicKey }, /not one pair/],
    ['a 16-byte HMAC secret', { ...hs, kid: 'x', signingKey: shortSecret, verificationKey: shortSecret }, /at least 32/],
    ['two different HMAC secrets', { ...hs, kid: 'x', verificationKey: otherSecret }, /not one pair/],
  ];

  it.each(unsound)('refuses %s', (_name, key, message) => {
    expect(() => createKeyRing(hs, [key])).toThrow(message);
  });

  it('refuses an active key that cannot sign, and a duplicate kid', () => {
    const verifyOnly: RingKey = { kid: 'pub', algorithm: 'RS256', verificationKey: rs.verificationKey };
    expect(() => createKeyRing(verifyOnly as SigningRingKey)).toThrow(/has no signing key/);
    expect(() => createKeyRing(hs, [hs])).toThrow(/Duplicate key id/);
  });
});

describe('loadSigningKeys: JWT_KEYS or JWT_KEYS_FILE', () => {
  const folder = keyFolder();
  afterAll(() => folder.remove());

  it('is undefined when neither is set (JWT_SECRET applies), and refuses both at once', () => {
    expect(loadSigningKeys({ keys: undefined, keysFile: undefined }, readFile)).toBeUndefined();
    expect(loadSigningKeys({ keys: '[]', keysFile: '/etc/keys.json' }, readFile)).toEqual({
      ok: false,
      problems: ['JWT_KEYS and JWT_KEYS_FILE are both set: give the keys one way'],
    });
  });

  it('builds the ring from JWT_KEYS', () => {
    const keys = JSON.stringify([{ ...specFor.ES256, active: true }]);
    const result = loadSigningKeys({ keys, keysFile: undefined }, readFile);
    expect(result?.ok && keyRingOf(result.keys).active.kid).toBe('ES256');
  });

  it('reads JWT_KEYS_FILE, with key file paths relative to its folder', () => {
    folder.write('signing.pem', keys.ed25519.privatePem);
    folder.write('old.pub', keys.rsa.publicPem);
    const keysFile = folder.write(
      'jwt-keys.json',
      JSON.stringify([
        { kid: 'new', alg: 'EdDSA', active: true, privateKeyFile: 'signing.pem' },
        { kid: 'old', alg: 'RS256', publicKeyFile: `${folder.path}/old.pub` },
      ]),
    );
    const result = loadSigningKeys({ keys: undefined, keysFile }, readFile);
    if (!result?.ok) throw new Error(JSON.stringify(result));
    expect(keyRingOf(result.keys).keys().map((key) => [key.kid, key.algorithm, key.signingKey?.type])).toEqual([
      ['new', 'EdDSA', 'private'],
      ['old', 'RS256', undefined],
    ]);
  });

  it('names JWT_KEYS_FILE in its problems, and an unreadable file by its code', () => {
    const specs = [{ kid: 'k', alg: 'ES256', active: true, privateKeyFile: 'nope.pem' }];
    const keysFile = folder.write('bad.json', JSON.stringify(specs));
    expect(loadSigningKeys({ keys: undefined, keysFile }, readFile)).toEqual({
      ok: false,
      problems: [`JWT_KEYS_FILE[0] (kid "k"): cannot read privateKeyFile "nope.pem" (ENOENT)`],
    });
    expect(loadSigningKeys({ keys: undefined, keysFile: `${folder.path}/absent.json` }, readFile)).toEqual({
      ok: false,
      problems: [`cannot read JWT_KEYS_FILE "${folder.path}/absent.json" (ENOENT)`],
    });
  });
});
