import { createPublicKey, randomBytes, type JsonWebKey, type KeyObject } from 'node:crypto';
import { type AttackerServer, startAttackerServer } from './support/attacker-server';
import {
  base64url,
  compactJws,
  constantSignature,
  ecdsaP256Sha256,
  ed25519,
  forge,
  hmacSha256,
  type JsonObject,
  respellLastCharacter,
  rsaSha256,
  type Signer,
} from './support/forge';
import { type RingTarget, type ServerKey, startRingTarget } from './support/ring-server';
import { expectAccepted, expectRefused, liveClaims, sendMe } from './support/target';
import { pemKeyPair } from '../support/key-fixtures';

/**
 * The JOSE header: key confusion with the published public keys, kid injection,
 * keys and key URLs named by the token (jku, x5u, jwk, x5c), crit, nested JWTs and
 * duplicate header members, against a server whose ring holds all four algorithms.
 */

const VICTIM = { username: 'header-victim', password: 'correct horse battery staple' };

type KeyPair = { readonly privateKey: KeyObject; readonly publicKey: KeyObject };

/** What an attacker has: the server's JWKS, keys of its own, and a web server of its own. */
interface Attack {
  readonly target: RingTarget;
  readonly published: Readonly<Record<string, JsonWebKey>>;
  readonly attacker: AttackerServer;
  readonly own: { readonly rsa: KeyPair; readonly ec: KeyPair; readonly ed: KeyPair };
}

interface HeaderCase {
  readonly name: string;
  readonly token: (a: Attack) => string;
}

type KeyName = 'hs' | 'rs' | 'es' | 'ed';
type Build = (a: Attack) => string;

const cases = (table: readonly (readonly [string, Build])[]): HeaderCase[] =>
  table.map(([name, token]) => ({ name, token }));

/** The header the server's own key `name` would write, with the case's changes. */
const headerOf = (a: Attack, name: KeyName, overrides: JsonObject = {}): JsonObject => {
  const { alg, kid } = a.target.keys[name];
  return { alg, typ: 'JWT', kid, ...overrides };
};
/** The victim's live claims under `header`, signed by `signer`. */
const forged = (a: Attack, header: JsonObject, signer: Signer): string => forge(header, liveClaims(a.target), signer);
/** Signed with the server's own HS256 secret: only the header is wrong. */
const withRealHmac = (a: Attack, overrides: JsonObject): string =>
  forged(a, headerOf(a, 'hs', overrides), a.target.keys.hs.sign);
const attackerRsa = (a: Attack): Signer => rsaSha256(a.own.rsa.privateKey);
const attackerEc = (a: Attack): Signer => ecdsaP256Sha256(a.own.ec.privateKey);
const attackerEd = (a: Attack): Signer => ed25519(a.own.ed.privateKey);
const jwkOf = (key: KeyObject): JsonWebKey => key.export({ format: 'jwk' });

const PUBLIC_KEY_FORMS = ['its PEM', 'its PEM without the final newline', 'its DER', 'its JWK as published'] as const;

/** A published public key in the byte form a confused verifier might take as an HMAC secret. */
function publicKeyAsSecret(jwk: JsonWebKey, form: (typeof PUBLIC_KEY_FORMS)[number]): string | Buffer {
  const key = createPublicKey({ key: jwk, format: 'jwk' });
  const pem = key.export({ type: 'spki', format: 'pem' }).toString();
  if (form === 'its PEM') return pem;
  if (form === 'its PEM without the final newline') return pem.trimEnd();
  if (form === 'its DER') return key.export({ type: 'spki', format: 'der' });
  return JSON.stringify(jwk);
}

const keyConfusionCases = cases(
  (['rs', 'es', 'ed'] as const).flatMap((name) =>
    PUBLIC_KEY_FORMS.map((form): [string, Build] => [
      `HS256 under the ${name} kid, the HMAC secret being the published public key: ${form}`,
      (a) => {
        const secret = publicKeyAsSecret(a.published[a.target.keys[name].kid], form);
        return forged(a, headerOf(a, name, { alg: 'HS256' }), hmacSha256(secret));
      },
    ]),
  ),
);

const crossAlgorithmCases = cases([
  [
    'HS256 under the HS256 kid, keyed with the RS256 public key PEM',
    (a) => forged(a, headerOf(a, 'hs'), hmacSha256(publicKeyAsSecret(a.published[a.target.keys.rs.kid], 'its PEM'))),
  ],
  [
    'RS256 under the kid of the HS256 key, signed with an attacker RSA key',
    (a) => forged(a, headerOf(a, 'hs', { alg: 'RS256' }), attackerRsa(a)),
  ],
  [
    'ES256 under the EdDSA kid, signed with an attacker EC key',
    (a) => forged(a, headerOf(a, 'ed', { alg: 'ES256' }), attackerEc(a)),
  ],
  [
    'EdDSA under the ES256 kid, signed with an attacker Ed25519 key',
    (a) => forged(a, headerOf(a, 'es', { alg: 'EdDSA' }), attackerEd(a)),
  ],
  [
    'PS256 under the RS256 kid, signed with an attacker RSA key',
    (a) => forged(a, headerOf(a, 'rs', { alg: 'PS256' }), attackerRsa(a)),
  ],
  ...['ES384', 'ES256K', 'Ed25519', 'Ed448'].map((alg): [string, Build] => [
    `alg ${alg} under the ES256 kid`,
    (a) => forged(a, headerOf(a, 'es', { alg }), attackerEc(a)),
  ]),
  ['RS256 under the RS256 kid, signed with an attacker RSA key', (a) => forged(a, headerOf(a, 'rs'), attackerRsa(a))],
  ['ES256 under the ES256 kid, signed with an attacker EC key', (a) => forged(a, headerOf(a, 'es'), attackerEc(a))],
  [
    'EdDSA under the EdDSA kid, signed with an attacker Ed25519 key',
    (a) => forged(a, headerOf(a, 'ed'), attackerEd(a)),
  ],
  [
    'ES256 with r = s = 0 (the psychic signature, CVE-2022-21449)',
    (a) => forged(a, headerOf(a, 'es'), constantSignature(Buffer.alloc(64))),
  ],
  ['EdDSA with a zero signature', (a) => forged(a, headerOf(a, 'ed'), constantSignature(Buffer.alloc(64)))],
  [
    'RS256 with a zero signature of the modulus length',
    (a) => forged(a, headerOf(a, 'rs'), constantSignature(Buffer.alloc(256))),
  ],
  ['RS256 with a one-byte signature', (a) => forged(a, headerOf(a, 'rs'), constantSignature(Buffer.from([1])))],
  ...(['ed', 'rs', 'es'] as const).map((name): [string, Build] => [
    `a ${name} token signed by the server's own key, its signature respelled (unused base64url bits set)`,
    (a) => respellLastCharacter(forged(a, headerOf(a, name), a.target.keys[name].sign)),
  ]),
  ["the victim's real EdDSA token, its signature respelled", (a) => respellLastCharacter(a.target.victim.accessToken)],
]);

/** Kids a careless key lookup turns into a file path, an SQL query, a glob, a property or a string. */
const kidInjectionCases = cases([
  [
    'kid "../../../../dev/null", HMAC keyed with nothing',
    (a) => forged(a, headerOf(a, 'hs', { kid: '../../../../dev/null' }), hmacSha256('')),
  ],
  [
    'kid "/dev/null" (absolute), HMAC keyed with nothing',
    (a) => forged(a, headerOf(a, 'hs', { kid: '/dev/null' }), hmacSha256('')),
  ],
  ...(
    [
      ['an SQL injection', "' OR '1'='1"],
      ['a UNION that selects a known secret', "x' UNION SELECT 'secret' --"],
      ['a glob', '*'],
      ['the real kid with a NUL after it', 'hs-verify\u0000'],
      ['the real kid with a NUL and more after it', 'hs-verify\u0000../../etc/passwd'],
      ['the real kid with a trailing space', 'hs-verify '],
      ['the real kid in upper case', 'HS-VERIFY'],
      ['the real kid behind a path', 'keys/../hs-verify'],
      ['the real kid as a URL', 'http://127.0.0.1/hs-verify'],
      ['__proto__', '__proto__'],
      ['constructor', 'constructor'],
      ['toString', 'toString'],
      ['an empty string', ''],
      ['the number 0', 0],
      ['the number 1', 1],
      ['true', true],
      ['null', null],
      ['an array holding the real kid', ['hs-verify']],
      ['an object holding the real kid', { kid: 'hs-verify', 0: 'hs-verify' }],
      ['of 5 kB (under the token limit)', 'k'.repeat(5 * 1024)],
      ['of 10 kB (over the token limit)', 'k'.repeat(10 * 1024)],
    ] as const
  ).map(([what, kid]): [string, Build] => [
    `kid ${what}, signed with the real HS256 secret`,
    (a) => withRealHmac(a, { kid }),
  ]),
]);

/** Headers that name a key, or a place to fetch one: a verifier must use its own keys, and fetch nothing. */
const keySourceCases = cases([
  [
    'jku pointing at the attacker JWKS, RS256 under the RS256 kid',
    (a) => forged(a, headerOf(a, 'rs', { jku: `${a.attacker.origin}/jwks.json` }), attackerRsa(a)),
  ],
  [
    'jku pointing at the attacker JWKS, under the attacker kid',
    (a) => forged(a, { alg: 'RS256', kid: 'attacker', jku: `${a.attacker.origin}/jwks.json` }, attackerRsa(a)),
  ],
  [
    'jku pointing at the attacker JWKS, no kid',
    (a) => forged(a, { alg: 'RS256', jku: `${a.attacker.origin}/jwks.json` }, attackerRsa(a)),
  ],
  [
    'x5u pointing at the attacker, RS256 under the RS256 kid',
    (a) => forged(a, headerOf(a, 'rs', { x5u: `${a.attacker.origin}/cert.pem` }), attackerRsa(a)),
  ],
  [
    'x5u pointing at the attacker, no kid',
    (a) => forged(a, { alg: 'RS256', x5u: `${a.attacker.origin}/cert.pem` }, attackerRsa(a)),
  ],
  [
    'the attacker RSA public key embedded as jwk, under the RS256 kid',
    (a) => forged(a, headerOf(a, 'rs', { jwk: jwkOf(a.own.rsa.publicKey) }), attackerRsa(a)),
  ],
  [
    'the attacker RSA public key embedded as jwk, no kid',
    (a) => forged(a, { alg: 'RS256', jwk: jwkOf(a.own.rsa.publicKey) }, attackerRsa(a)),
  ],
  [
    'the attacker EC public key embedded as jwk, under the ES256 kid',
    (a) => forged(a, headerOf(a, 'es', { jwk: jwkOf(a.own.ec.publicKey) }), attackerEc(a)),
  ],
  [
    'the attacker Ed25519 public key embedded as jwk, under the EdDSA kid',
    (a) => forged(a, headerOf(a, 'ed', { jwk: jwkOf(a.own.ed.publicKey) }), attackerEd(a)),
  ],
  [
    'an attacker HMAC secret embedded as an oct jwk, under the HS256 kid',
    (a) => {
      const secret = randomBytes(32);
      return forged(a, headerOf(a, 'hs', { jwk: { kty: 'oct', k: base64url(secret) } }), hmacSha256(secret));
    },
  ],
  [
    'an x5c chain holding the attacker key, under the RS256 kid',
    (a) => {
      const der = a.own.rsa.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
      return forged(a, headerOf(a, 'rs', { x5c: [der] }), attackerRsa(a));
    },
  ],
  [
    'jku, x5u, jwk and x5c together, under the attacker kid',
    (a) => {
      const { origin } = a.attacker;
      const jwk = jwkOf(a.own.rsa.publicKey);
      const header = { alg: 'RS256', kid: 'attacker', jku: `${origin}/jwks.json`, x5u: `${origin}/x5u`, jwk, x5c: ['AAAA'] };
      return forged(a, header, attackerRsa(a));
    },
  ],
]);

const critCases = cases([
  ['crit ["exp"], signed with the real secret', (a) => withRealHmac(a, { crit: ['exp'] })],
  [
    'crit ["x-unknown"] with that member, signed with the real secret',
    (a) => withRealHmac(a, { crit: ['x-unknown'], 'x-unknown': true }),
  ],
  ['crit [] (empty), signed with the real secret', (a) => withRealHmac(a, { crit: [] })],
  ['crit "exp" (not an array), signed with the real secret', (a) => withRealHmac(a, { crit: 'exp' })],
  ['crit null, signed with the real secret', (a) => withRealHmac(a, { crit: null })],
  [
    'crit ["b64"] with b64:false, encoded payload, signed with the real secret',
    (a) => withRealHmac(a, { b64: false, crit: ['b64'] }),
  ],
  [
    'crit ["b64"] with b64:false, RFC 7797 detached payload, real secret',
    (a) => unencodedPayloadToken(a, true, 'detached'),
  ],
  [
    'crit ["b64"] with b64:false, RFC 7797 payload inline, real secret',
    (a) => unencodedPayloadToken(a, true, 'inline'),
  ],
  [
    'b64:false without crit, signed over the unencoded payload, real secret',
    (a) => unencodedPayloadToken(a, false, 'encoded'),
  ],
  [
    'crit ["b64"] with b64:false, EdDSA signed by the server key',
    (a) => forged(a, headerOf(a, 'ed', { b64: false, crit: ['b64'] }), a.target.keys.ed.sign),
  ],
]);

/**
 * RFC 7797: with `b64: false` the signing input is the header segment, a dot and the
 * payload bytes as they are. The compact form carries the payload raw (`inline`), or
 * not at all (`detached`); `encoded` carries it base64url-encoded as usual.
 */
function unencodedPayloadToken(a: Attack, withCrit: boolean, form: 'inline' | 'detached' | 'encoded'): string {
  const header = base64url(headerOf(a, 'hs', withCrit ? { b64: false, crit: ['b64'] } : { b64: false }));
  const payload = JSON.stringify(liveClaims(a.target));
  const signature = a.target.keys.hs.sign(Buffer.from(`${header}.${payload}`, 'utf8')).toString('base64url');
  const carried = form === 'inline' ? payload : form === 'detached' ? '' : base64url(payload);
  return `${header}.${carried}.${signature}`;
}

/** A JWS whose payload is not claims but (a form of) the victim's real token. */
const nested = (a: Attack, name: KeyName, overrides: JsonObject, payload: string, signer: Signer): string =>
  compactJws(JSON.stringify(headerOf(a, name, overrides)), payload, signer);
const realToken = (a: Attack): string => a.target.victim.accessToken;
const hsKey = (a: Attack): Signer => a.target.keys.hs.sign;

const nestedCases = cases([
  [
    'cty "JWT" whose payload is the real token, outer signed with the real secret',
    (a) => nested(a, 'hs', { cty: 'JWT' }, realToken(a), hsKey(a)),
  ],
  [
    'no cty, payload the real token, outer signed with the real secret',
    (a) => nested(a, 'hs', {}, realToken(a), hsKey(a)),
  ],
  [
    'cty "JWT", payload the real token as a JSON string, outer signed with the real secret',
    (a) => nested(a, 'hs', { cty: 'JWT' }, JSON.stringify(realToken(a)), hsKey(a)),
  ],
  [
    'cty "JWT", payload the real token base64url-encoded once more, outer signed with the real secret',
    (a) => nested(a, 'hs', { cty: 'JWT' }, base64url(realToken(a)), hsKey(a)),
  ],
  [
    'typ "JOSE", payload the real token, outer signed with the real EdDSA key',
    (a) => nested(a, 'ed', { typ: 'JOSE', cty: 'JWT' }, realToken(a), a.target.keys.ed.sign),
  ],
  [
    'cty "JWT", payload the real token, outer signed with an attacker key',
    (a) => nested(a, 'hs', { cty: 'JWT' }, realToken(a), hmacSha256(randomBytes(32))),
  ],
]);

/** Header JSON written by hand, signed with the real HS256 secret: only the repetition is wrong. */
const duplicateHeaderCases = cases(
  [
    ['alg "none" then "HS256"', (kid: string) => `{"alg":"none","alg":"HS256","typ":"JWT","kid":"${kid}"}`],
    ['alg "HS256" then "none"', (kid: string) => `{"alg":"HS256","typ":"JWT","kid":"${kid}","alg":"none"}`],
    ['alg "RS256" then "HS256"', (kid: string) => `{"alg":"RS256","alg":"HS256","kid":"${kid}"}`],
    ['an unknown kid then the real one', (kid: string) => `{"alg":"HS256","kid":"unknown","kid":"${kid}"}`],
    ['the real kid then an unknown one', (kid: string) => `{"alg":"HS256","kid":"${kid}","kid":"unknown"}`],
    ['crit then crit', (kid: string) => `{"alg":"HS256","kid":"${kid}","crit":["exp"],"crit":[]}`],
    ['alg spelled with an escape ("a\\u006cg")', (kid: string) => `{"alg":"none","a\\u006cg":"HS256","kid":"${kid}"}`],
    ['typ twice', (kid: string) => `{"alg":"HS256","typ":"JWT","typ":"JWT","kid":"${kid}"}`],
  ].map(([what, headerJson]): [string, Build] => [
    `a header with ${String(what)}, signed with the real secret`,
    (a) => {
      const header = (headerJson as (kid: string) => string)(a.target.keys.hs.kid);
      return compactJws(header, JSON.stringify(liveClaims(a.target)), hsKey(a));
    },
  ]),
);

describe('JOSE header attacks are refused with 401 UNAUTHENTICATED, on every algorithm of the ring', () => {
  let a: Attack;

  beforeAll(async () => {
    const target = await startRingTarget(VICTIM);
    const own = {
      rsa: pemKeyPair('rsa2048'),
      ec: pemKeyPair('p256'),
      ed: pemKeyPair('ed25519'),
    };
    const attackerKey = { ...jwkOf(own.rsa.publicKey), kid: target.keys.rs.kid, alg: 'RS256', use: 'sig' };
    const attacker = await startAttackerServer(JSON.stringify({ keys: [attackerKey] }));
    const response = await fetch(new URL('/.well-known/jwks.json', target.server.url));
    const { keys } = (await response.json()) as { keys: (JsonWebKey & { kid: string })[] };
    a = { target, own, attacker, published: Object.fromEntries(keys.map((key) => [key.kid, key])) };
  });

  afterAll(async () => {
    await Promise.all([a.target.server.close(), a.attacker.close()]);
  });

  it('publishes the three asymmetric keys the confusion cases use, and no HS256 secret', () => {
    const { rs, es, ed } = a.target.keys;
    expect(Object.keys(a.published).sort()).toEqual([rs.kid, es.kid, ed.kid].sort());
  });

  it('accepts the real EdDSA token and a hand-built token from each key of the ring (the controls)', async () => {
    const handBuilt = a.target.allKeys.map((key: ServerKey) =>
      forged(a, { alg: key.alg, typ: 'JWT', kid: key.kid }, key.sign),
    );
    for (const token of [a.target.victim.accessToken, ...handBuilt]) {
      expectAccepted(await sendMe(a.target.server.url, `Bearer ${token}`), a.target);
    }
  });

  describe.each([
    ['key confusion', keyConfusionCases],
    ['algorithm substitution and bad signatures', crossAlgorithmCases],
    ['kid injection', kidInjectionCases],
    ['keys named by the token', keySourceCases],
    ['crit and b64', critCases],
    ['nested JWTs', nestedCases],
    ['duplicate header members', duplicateHeaderCases],
  ])('%s', (_group, table) => {
    it.each(table)('refuses $name', async ({ token }) => {
      const authorization = `Bearer ${token(a)}`;
      expectRefused(await sendMe(a.target.server.url, authorization), a.target, authorization);
      expect(a.attacker.requests).toEqual([]);
    });
  });

  it('never fetched anything from the attacker server (which counts what it gets); still accepts the real token', async () => {
    expect(a.attacker.requests).toEqual([]);
    expectAccepted(await sendMe(a.target.server.url, `Bearer ${a.target.victim.accessToken}`), a.target);
    await (await fetch(`${a.attacker.origin}/jwks.json`)).text();
    expect(a.attacker.requests).toEqual(['GET /jwks.json']);
  });
});
