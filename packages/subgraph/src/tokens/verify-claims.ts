import type { AccessTokenClaims, TokenAudience } from './claims';

/**
 * How far an `iat` may lie ahead of this server's clock: the instance that signed
 * the token may run a little ahead. Beyond that the token was made for later use
 * (or by a signer with a broken clock), and is refused.
 */
export const MAX_ISSUED_AT_SKEW_SECONDS = 60;

/** The longest `sub`, `sid` or `jti` accepted: far beyond any this service issues. */
const MAX_CLAIM_LENGTH = 256;

export type ClaimsProblem = 'expired' | 'invalid' | 'missing claims' | 'issued in the future';

export type VerifiedClaims =
  | { readonly ok: true; readonly claims: AccessTokenClaims }
  | { readonly ok: false; readonly reason: ClaimsProblem };

/**
 * The claim checks, once for every algorithm, on a payload whose signature verified.
 * First the registered claims as jsonwebtoken's `verify` judged them (with the clock
 * at `nowSeconds` and no tolerance): `nbf` a number not in the future, `exp` present
 * and not reached (a token is dead from its `exp` second on), `iss` exactly ours,
 * `aud` ours or a list holding it (RFC 7519 §4.1.3). Then this service's own: the
 * claims it issues, of the types it issues, and an `iat` not in the future.
 */
export function verifyClaims(
  payload: Readonly<Record<string, unknown>>,
  audience: TokenAudience,
  nowSeconds: number,
): VerifiedClaims {
  const { nbf, exp, iss, aud } = payload;
  if (nbf !== undefined && (typeof nbf !== 'number' || nbf > nowSeconds)) return refused('invalid');
  if (typeof exp !== 'number') return refused('invalid');
  if (nowSeconds >= exp) return refused('expired');
  if (iss !== audience.issuer) return refused('invalid');
  const audiences: readonly unknown[] = Array.isArray(aud) ? aud : [aud];
  if (!audiences.includes(audience.audience)) return refused('invalid');
  if (!isAccessTokenClaims(payload)) return refused('missing claims');
  if (payload.iat > nowSeconds + MAX_ISSUED_AT_SKEW_SECONDS) return refused('issued in the future');
  return { ok: true, claims: payload };
}

function isAccessTokenClaims(claims: Readonly<Record<string, unknown>>): claims is Readonly<Record<string, unknown>> & AccessTokenClaims {
  return (
    isNonEmptyString(claims.sub) &&
    isNonEmptyString(claims.sid) &&
    isNonEmptyString(claims.jti) &&
    // JSON.parse reads 1e999 as Infinity: a token that never expires, or issued before all time.
    Number.isFinite(claims.iat) &&
    Number.isFinite(claims.exp) &&
    Array.isArray(claims.auth) &&
    claims.auth.every((authority) => typeof authority === 'string') &&
    (claims.amr === undefined || isMethodList(claims.amr)) &&
    // A sign-in comes before every token of its session.
    (claims.auth_time === undefined || (Number.isFinite(claims.auth_time) && (claims.auth_time as number) <= (claims.iat as number)))
  );
}

/** The longest `amr` accepted: RFC 8176 registers fewer than twenty methods. */
const MAX_METHODS = 20;
/** RFC 8176's method names are short lower-case words; a session record keeps them between separators. */
const METHOD_NAME = /^[a-z]{1,16}$/;

function isMethodList(value: unknown): value is readonly string[] {
  return Array.isArray(value) && value.length <= MAX_METHODS && value.every((method) => typeof method === 'string' && METHOD_NAME.test(method));
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_CLAIM_LENGTH;
}

function refused(reason: ClaimsProblem): VerifiedClaims {
  return { ok: false, reason };
}
