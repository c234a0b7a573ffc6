import { verifyClaims } from '@graphql-auth-service/subgraph/tokens/verify-claims';

const audience = { issuer: 'issuer-under-test', audience: 'audience-under-test' };
const nowSeconds = Date.UTC(2026, 10, 23, 12, 0, 0) / 1000;

/** The claims this service issues, signed in a minute ago; `undefined` leaves a claim out. */
function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const all: Record<string, unknown> = {
    iss: audience.issuer,
    aud: audience.audience,
    sub: '01a2099d-1931-757b-a805-3c94653d9f5a',
    sid: 'lAhvU4hUwAT1zznyJ_y9bQ',
    jti: 'jti-under-test',
    iat: nowSeconds - 60,
    exp: nowSeconds + 840,
    auth: ['ROLE_ADMIN'],
    amr: ['pwd', 'otp'],
    auth_time: nowSeconds - 60,
    ...overrides,
  };
  return Object.fromEntries(Object.entries(all).filter(([, value]) => value !== undefined));
}

describe('verifyClaims: how the session signed in (amr, auth_time)', () => {
  it.each([
    ['amr and auth_time as this service issues them', {}],
    ['neither claim, as tokens of earlier versions', { amr: undefined, auth_time: undefined }],
    ['amr without auth_time', { auth_time: undefined }],
    ['auth_time without amr', { amr: undefined }],
    ['a passkey alone', { amr: ['hwk'] }],
    ['a method of 16 letters', { amr: ['abcdefghijklmnop'] }],
    ['20 methods', { amr: Array.from({ length: 20 }, () => 'pwd') }],
    ['auth_time with a fraction of a second', { auth_time: nowSeconds - 60.5 }],
    ['auth_time long before the token, as after refreshes', { auth_time: nowSeconds - 86_400 }],
  ])('accepts %s, and hands the claims on as they are', (_name, overrides) => {
    const payload = claims(overrides);
    const verdict = verifyClaims(payload, audience, nowSeconds);
    expect(verdict).toEqual({ ok: true, claims: payload });
  });

  it.each([
    ['amr as a string', { amr: 'pwd' }],
    ['amr null', { amr: null }],
    ['amr as an object', { amr: { 0: 'pwd' } }],
    ['amr holding a number', { amr: ['pwd', 1] }],
    ['amr holding null', { amr: [null] }],
    ['amr holding a list', { amr: [['pwd']] }],
    ['an upper-case method', { amr: ['PWD'] }],
    ['an empty method', { amr: ['pwd', ''] }],
    ['a method with a digit', { amr: ['otp2'] }],
    ['two methods in one, comma-separated', { amr: ['pwd,otp'] }],
    ['a method with a space', { amr: ['pwd otp'] }],
    ['a method with the session record separator', { amr: ['pwd|otp'] }],
    ['a method of 17 letters', { amr: ['abcdefghijklmnopq'] }],
    ['21 methods', { amr: Array.from({ length: 21 }, () => 'pwd') }],
    ['auth_time as a string', { auth_time: String(nowSeconds) }],
    ['auth_time null', { auth_time: null }],
    ['auth_time Infinity (JSON.parse reads 1e999 so)', { auth_time: Infinity }],
    ['auth_time -Infinity', { auth_time: -Infinity }],
    ['auth_time NaN', { auth_time: NaN }],
    ['auth_time as a list', { auth_time: [nowSeconds] }],
    ['auth_time after the token was issued', { auth_time: nowSeconds - 59 }],
  ])('refuses %s as missing claims', (_name, overrides) => {
    expect(verifyClaims(claims(overrides), audience, nowSeconds)).toEqual({ ok: false, reason: 'missing claims' });
  });
});
