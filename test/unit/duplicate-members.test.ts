import fc from 'fast-check';
import { scanTopLevelMembers } from '@graphql-auth-service/subgraph/tokens/duplicate-members';
import { MAX_TOKEN_LENGTH, parseJws } from '@graphql-auth-service/subgraph/tokens/parse-jws';

const b64 = (json: string): string => Buffer.from(json, 'utf8').toString('base64url');
const jws = (headerJson: string, payloadJson: string, signature = 'c2ln'): string =>
  `${b64(headerJson)}.${b64(payloadJson)}.${signature}`;
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** The same bytes spelled differently: the lowest of the bits a decoder ignores, set. */
const withUnusedBitSet = (segment: string): string => {
  if (segment.length % 4 < 2) throw new Error('this segment has no unused bits');
  return segment.slice(0, -1) + BASE64URL[BASE64URL.indexOf(segment.slice(-1)) | 1];
};
const HEADER = '{"alg":"HS256","typ":"JWT","kid":"k1"}';
const CLAIMS = '{"iss":"i","aud":"a","sub":"u1","sid":"s1","jti":"j","iat":1,"exp":2,"auth":["ROLE_ADMIN"]}';

describe('scanTopLevelMembers', () => {
  it.each([
    ['the claims this service issues', CLAIMS],
    ['an empty object', '{}'],
    ['an empty object with whitespace', ' \t\r\n{ \n } \n'],
    ['whitespace everywhere', '{ "a" : 1 ,\n\t"b" :[ 1 , 2 ] , "c": { } }'],
    ['one name repeated only inside nested objects', '{"a":{"x":1,"x":2},"b":[{"x":1},{"x":2}],"x":0}'],
    ['names that differ only in case', '{"sub":1,"Sub":2,"SUB":3}'],
    ['quotes, braces and backslashes inside string values', '{"a":"\\"sub\\":{[}]","sub":"\\\\","b":"}"}'],
    ['an escaped name that differs from its neighbour', '{"s\\u0075b":1,"sid":2}'],
    ['every kind of value', '{"s":"x","n":-1.5e3,"t":true,"f":false,"z":null,"o":{"p":[1,{"q":[]}]},"a":[]}'],
    ['an empty name', '{"":1,"a":2}'],
  ])('calls %s unique', (_name, json) => {
    expect(scanTopLevelMembers(json)).toBe('unique');
  });

  it.each([
    ['two subs', '{"sub":"other","sid":"s","sub":"victim"}'],
    ['a name repeated right away', '{"alg":"none","alg":"HS256"}'],
    ['a name repeated after a nested value', '{"a":{"b":{"c":[1,2,{"d":"}"}]}},"a":1}'],
    ['a name repeated through an escape', '{"sub":"a","s\\u0075b":"b"}'],
    ['an escaped name repeated plainly', '{"\\u0061lg":"none","alg":"HS256"}'],
    ['__proto__ twice', '{"__proto__":{},"__proto__":{"admin":true}}'],
    ['the empty name twice', '{"":1,"":2}'],
    ['a repeated name with whitespace around it', '{ "exp" : 1 , "exp" : 2 }'],
  ])('finds %s', (_name, json) => {
    expect(scanTopLevelMembers(json)).toBe('duplicate');
  });

  it.each([
    ['an array', '[{"a":1}]'],
    ['a string', '"eyJhbGciOiJIUzI1NiJ9.e30.c2ln"'],
    ['a number', '42'],
    ['null', 'null'],
    ['empty text', ''],
    ['a compact JWS as text', 'eyJhbGciOiJIUzI1NiJ9.e30.c2ln'],
    ['an unclosed object', '{"a":1'],
    ['an unterminated name', '{"a'],
    ['an unterminated string value', '{"a":"b}'],
    ['an unclosed nested object', '{"a":{"b":1}'],
    ['text after the object', '{"a":1}x'],
    ['a second object after the first', '{"a":1}{"a":2}'],
    ['a missing colon', '{"a" 1}'],
    ['a missing value', '{"a":}'],
    ['a trailing comma', '{"a":1,}'],
    ['a name without quotes', '{a:1}'],
    ['a name with a broken escape', '{"\\x":1}'],
  ])('calls %s not an object', (_name, json) => {
    expect(scanTopLevelMembers(json)).toBe('not an object');
  });

  it('skips nesting far deeper than any stack without recursion', () => {
    const depth = 100_000;
    const deep = `{"a":${'['.repeat(depth)}${']'.repeat(depth)},"b":1}`;
    expect(scanTopLevelMembers(deep)).toBe('unique');
    expect(scanTopLevelMembers(`${deep.slice(0, -1)},"a":2}`)).toBe('duplicate');
  });

  it('judges a claim set of 8 kB with over a thousand names, and finds a duplicate of the first one at its end', () => {
    // Its speed is the JWT verify figure of the bench (bench/jwt-micro.ts), not a timed test.
    const names = Array.from({ length: 1_300 }, (_, index) => `"${index.toString(36)}":0`);
    const wide = `{${names.join(',')}}`;
    expect(wide.length).toBeGreaterThan(8_000);
    expect(scanTopLevelMembers(wide)).toBe('unique');
    expect(scanTopLevelMembers(`${wide.slice(0, -1)},"0":1}`)).toBe('duplicate');
  });

  it('agrees with JSON.parse on any JSON text: unique exactly when it is an object', () => {
    fc.assert(
      fc.property(fc.json(), (json) => {
        const value: unknown = JSON.parse(json);
        const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
        expect(scanTopLevelMembers(json)).toBe(isObject ? 'unique' : 'not an object');
      }),
      { numRuns: 500 },
    );
  });

  it('finds any top-level name written twice, wherever the copy goes', () => {
    const entries = fc.uniqueArray(fc.tuple(fc.string({ unit: 'binary' }), fc.jsonValue({ maxDepth: 2 })), {
      minLength: 1,
      maxLength: 12,
      selector: ([name]) => name,
    });
    fc.assert(
      fc.property(entries, fc.nat(), fc.nat(), fc.jsonValue({ maxDepth: 2 }), (members, pick, place, value) => {
        const written = members.map(([name, member]) => `${JSON.stringify(name)}:${JSON.stringify(member)}`);
        expect(scanTopLevelMembers(`{${written.join(',')}}`)).toBe('unique');
        const copy = `${JSON.stringify(members[pick % members.length][0])}:${JSON.stringify(value)}`;
        written.splice(place % (written.length + 1), 0, copy);
        expect(scanTopLevelMembers(`{${written.join(',')}}`)).toBe('duplicate');
      }),
      { numRuns: 200 },
    );
  });
});

describe('parseJws', () => {
  it('reads the header of a well-formed token, with its claims, signing input and signature', () => {
    const token = jws(HEADER, CLAIMS);
    expect(parseJws(token)).toEqual({
      ok: true,
      header: { alg: 'HS256', typ: 'JWT', kid: 'k1' },
      payload: JSON.parse(CLAIMS),
      signingInput: token.slice(0, token.lastIndexOf('.')),
      signature: 'c2ln',
    });
  });

  it('refuses a token over the maximum length before reading it', () => {
    const long = jws(HEADER, CLAIMS.replace('"auth"', `"pad":"${'x'.repeat(MAX_TOKEN_LENGTH)}","auth"`));
    expect(parseJws(long)).toEqual({ ok: false, reason: 'too long' });
    expect(parseJws('!'.repeat(MAX_TOKEN_LENGTH + 1))).toEqual({ ok: false, reason: 'too long' });
  });

  it('decodes the header as latin1 and the claims as UTF-8, as jsonwebtoken does', () => {
    const parsed = parseJws(jws('{"alg":"HS256","kid":"k1","x":"é"}', '{"sub":"u1","name":"é"}'));
    expect(parsed.ok && parsed.header.x).toBe('Ã©');
    expect(parsed.ok && parsed.payload.name).toBe('é');
  });

  it.each([
    ['a duplicate alg in the header', jws('{"alg":"none","alg":"HS256","kid":"k1"}', CLAIMS)],
    ['a duplicate kid in the header', jws('{"alg":"HS256","kid":"other","kid":"k1"}', CLAIMS)],
    ['a duplicate sub in the claims', jws(HEADER, CLAIMS.replace('"sid"', '"sub":"u2","sid"'))],
    ['a duplicate escaped claim', jws(HEADER, CLAIMS.replace('"sid"', '"s\\u0075b":"u2","sid"'))],
  ])('refuses %s as a duplicate member', (_name, token) => {
    expect(parseJws(token)).toEqual({ ok: false, reason: 'duplicate member' });
  });

  const real = jws(HEADER, CLAIMS);
  const [header, payload] = real.split('.');
  it.each([
    ['a payload that is another JWT', `${header}.${b64(real)}.c2ln`],
    ['a payload that is a JSON string', `${header}.${b64(JSON.stringify(real))}.c2ln`],
    ['a header that is an array', jws('[{"alg":"HS256"}]', CLAIMS)],
    ['a header that is not JSON', `${b64('{alg')}.${payload}.c2ln`],
    ['two segments', `${header}.${payload}`],
    ['four segments', `${real}.c2ln`],
    ['an empty header', `.${payload}.c2ln`],
    ['padding', `${header}.${payload}.c2lu=`],
    ['the standard base64 alphabet', `${header}.${payload}.a+b/`],
    ['a segment of 1 character modulo 4', `${header}.${payload}.c2lnZ`],
    ['unused bits set in the last character of the signature', `${header}.${payload}.c2m`],
    ['unused bits set in the last character of the header', `${withUnusedBitSet(header)}.${payload}.c2ln`],
    ['claims the scanner passes but JSON.parse refuses (a leading zero)', jws(HEADER, '{"exp":01}')],
  ])('refuses %s as malformed', (_name, token) => {
    expect(parseJws(token)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('accepts an empty signature segment (the signature check refuses it later)', () => {
    expect(parseJws(`${header}.${payload}.`).ok).toBe(true);
  });
});
