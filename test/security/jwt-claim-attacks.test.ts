import { claimsWithDuplicate, compactJws, type JsonObject, nowSeconds, withoutMember } from './support/forge';
import { type RingTarget, type ServerKey, startRingTarget } from './support/ring-server';
import { expectAccepted, expectRefused, liveClaims, sendMe } from './support/target';

/**
 * Claims, signed by the server's own keys so that only the claims are wrong: each
 * case runs once per key of the ring, so every signature algorithm (jwa for HS256,
 * RS256 and ES256, node:crypto for EdDSA) is held to the same answers from the one
 * claims check.
 */

const VICTIM = { username: 'claims-victim', password: 'correct horse battery staple' };
const DAY = 24 * 60 * 60;
const ANOTHER_USER_ID = '01a2099d-1931-757b-a805-3c94653d9f5a';

/** The claim-set JSON from the victim's live claims: text, so it can say what JSON.stringify never would. */
type ClaimsJson = (live: JsonObject) => string;

interface ClaimCase {
  readonly name: string;
  readonly claims: ClaimsJson;
}

const cases = (table: readonly (readonly [string, ClaimsJson])[]): ClaimCase[] =>
  table.map(([name, claims]) => ({ name, claims }));
/** The live claims with some of them changed. */
const changed =
  (change: (live: JsonObject) => JsonObject): ClaimsJson =>
  (live) =>
    JSON.stringify({ ...live, ...change(live) });
const without = (name: string): [string, ClaimsJson] => [
  `no ${name} claim`,
  (live) => JSON.stringify(withoutMember(live, name)),
];
const set = (name: string, value: unknown, what = JSON.stringify(value)): [string, ClaimsJson] => [
  `${name} ${what}`,
  changed(() => ({ [name]: value })),
];
/** A number literal JSON.stringify cannot write: JSON.parse reads 1e999 as Infinity. */
const infinite = (name: string, literal: '1e999' | '-1e999'): [string, ClaimsJson] => [
  `${name} ${literal} (JSON.parse reads Infinity)`,
  (live) => JSON.stringify(live).replace(`"${name}":${String(live[name])}`, `"${name}":${literal}`),
];
const secondsFromNow = (seconds: number): number => nowSeconds() + seconds;

const lifetimeCases = cases([
  ['expired an hour ago', changed(() => ({ iat: secondsFromNow(-3_600), exp: secondsFromNow(-60) }))],
  ['exp equal to now (dead from its exp second on)', changed(() => ({ iat: secondsFromNow(-60), exp: nowSeconds() }))],
  set('exp', '9999999999', 'as a string'),
  set('exp', null),
  infinite('exp', '1e999'),
  without('exp'),
  ['nbf 5 minutes in the future', changed(() => ({ nbf: secondsFromNow(300) }))],
  set('nbf', '0', 'as a string'),
  [
    'iat a day in the future, exp after it',
    changed(() => ({ iat: secondsFromNow(DAY), exp: secondsFromNow(DAY + 600) })),
  ],
  ['iat 2 minutes in the future (over the 60 s skew)', changed(() => ({ iat: secondsFromNow(120) }))],
  infinite('iat', '1e999'),
  infinite('iat', '-1e999'),
  set('iat', String(nowSeconds()), 'as a string'),
  without('iat'),
]);

const audienceCases = cases([
  ['another issuer', changed((live) => ({ iss: `${String(live.iss)}-evil` }))],
  ['the issuer in another case', changed((live) => ({ iss: String(live.iss).toUpperCase() }))],
  ['iss as an array holding the issuer', changed((live) => ({ iss: [live.iss] }))],
  without('iss'),
  ['another audience', changed((live) => ({ aud: `${String(live.aud)}-other` }))],
  ['aud as an array of other audiences only', changed(() => ({ aud: ['orders-api', 'billing-api'] }))],
  set('aud', []),
  set('aud', null),
  without('aud'),
]);

const subjectCases = cases([
  without('sub'),
  without('sid'),
  without('jti'),
  without('auth'),
  set('sub', 12345),
  ['sub as an array holding the victim id', changed((live) => ({ sub: [live.sub] }))],
  ['sub as an object holding the victim id', changed((live) => ({ sub: { id: live.sub } }))],
  set('sub', ''),
  set('sub', '*', 'as a Redis glob'),
  ['sub with a Redis hash tag around the victim id', changed((live) => ({ sub: `{u:${String(live.sub)}}` }))],
  ['sub of 300 characters', changed((live) => ({ sub: `${String(live.sub)}${'0'.repeat(264)}` }))],
  set('sid', 12345),
  ['sid as an array holding the victim session', changed((live) => ({ sid: [live.sid] }))],
  ['sid as an object holding the victim session', changed((live) => ({ sid: { id: live.sid } }))],
  ['sid with a Redis key separator in it', changed((live) => ({ sid: `${String(live.sid)}:x` }))],
  set('jti', 7),
  set('auth', 'ROLE_ADMIN', 'as a string'),
  set('auth', [1, 2]),
  [
    'sub and sid only inside __proto__',
    (live) => {
      const rest = JSON.stringify(withoutMember(withoutMember(live, 'sub'), 'sid')).slice(1);
      return `{"__proto__":${JSON.stringify({ sub: live.sub, sid: live.sid })},${rest}`;
    },
  ],
]);

/** JSON.parse keeps the last of a repeated name; another parser would keep the first. Either way it is refused. */
const duplicateClaimCases = cases([
  ['sub of another user first, the victim last', (live) => claimsWithDuplicate(live, 'sub', ANOTHER_USER_ID, live.sub)],
  ['sub of the victim first, another user last', (live) => claimsWithDuplicate(live, 'sub', live.sub, ANOTHER_USER_ID)],
  ['sid twice', (live) => claimsWithDuplicate(live, 'sid', 'another-session-id', live.sid)],
  [
    'exp in the past first, in the future last',
    (live) => claimsWithDuplicate(live, 'exp', secondsFromNow(-60), live.exp),
  ],
  ['aud of another service first, ours last', (live) => claimsWithDuplicate(live, 'aud', 'orders-api', live.aud)],
  ['auth empty first, ROLE_ADMIN last', (live) => claimsWithDuplicate(live, 'auth', [], ['ROLE_ADMIN'])],
  ['the same sub twice', (live) => claimsWithDuplicate(live, 'sub', live.sub, live.sub)],
  [
    'sub repeated through an escape ("s\\u0075b")',
    (live) => JSON.stringify(live).replace('"sid"', `"s\\u0075b":"${ANOTHER_USER_ID}","sid"`),
  ],
]);

/** What the service accepts on purpose, signed the same way: without these, a refusal above could be for any reason. */
const acceptedCases = cases([
  ['the live claims as issued', (live) => JSON.stringify(live)],
  [
    'aud as an array holding this audience and others (RFC 7519 §4.1.3: ours is among them)',
    changed((live) => ({ aud: ['orders-api', live.aud] })),
  ],
  ['aud as an array of this audience alone', changed((live) => ({ aud: [live.aud] }))],
  ['iat 30 s in the future (within the 60 s skew between instances)', changed(() => ({ iat: secondsFromNow(30) }))],
  ['nbf now', changed(() => ({ nbf: nowSeconds() }))],
  ['an extra claim the service ignores', changed(() => ({ 'x-extra': { nested: true } }))],
]);

const signedBy = (key: ServerKey, claims: string): string =>
  compactJws(JSON.stringify({ alg: key.alg, typ: 'JWT', kid: key.kid }), claims, key.sign);

describe('claim attacks are refused with 401 UNAUTHENTICATED on every algorithm of the ring', () => {
  let target: RingTarget;

  beforeAll(async () => {
    target = await startRingTarget(VICTIM);
  });

  afterAll(async () => {
    await target.server.close();
  });

  describe.each(['hs', 'rs', 'es', 'ed'] as const)('signed by the %s key', (keyName) => {
    const bearerOf = (claims: ClaimsJson): string =>
      `Bearer ${signedBy(target.keys[keyName], claims(liveClaims(target)))}`;

    it.each(acceptedCases)('accepts $name (a control)', async ({ claims }) => {
      expectAccepted(await sendMe(target.server.url, bearerOf(claims)), target);
    });

    describe.each([
      ['lifetime', lifetimeCases],
      ['issuer and audience', audienceCases],
      ['subject, session and types', subjectCases],
      ['duplicate claims', duplicateClaimCases],
    ])('%s', (_group, table) => {
      it.each(table)('refuses $name', async ({ claims }) => {
        const authorization = bearerOf(claims);
        expectRefused(await sendMe(target.server.url, authorization), target, authorization);
      });
    });
  });

  it('still accepts the real token after all the forgeries', async () => {
    expectAccepted(await sendMe(target.server.url, `Bearer ${target.victim.accessToken}`), target);
  });
});
