import type { TokenAudience } from './claims';

/**
 * How far an `iat` may lie ahead of this server's clock: the instance that signed
 * the token may run a little ahead. Beyond that the token was made for later use
 * (or by a signer with a broken clock), and is refused.
 */
export const MAX_ISSUED_AT_SKEW_SECONDS = 60;

/**
 * The registered-claim checks jsonwebtoken's `verify` makes, for the one algorithm
 * (EdDSA) that does not go through it: `nbf` not in the future, `exp` present and not
 * reached (a token is dead from its `exp` second on), `iss` and `aud` as configured.
 * The tests hold both paths to the same cases.
 */
export function registeredClaimsProblem(
  payload: Readonly<Record<string, unknown>>,
  audience: TokenAudience,
  nowSeconds: number,
): 'expired' | 'invalid' | undefined {
  const { nbf, exp, iss, aud } = payload;
  if (nbf !== undefined && (typeof nbf !== 'number' || nbf > nowSeconds)) return 'invalid';
  if (typeof exp !== 'number') return 'invalid';
  if (nowSeconds >= exp) return 'expired';
  if (iss !== audience.issuer) return 'invalid';
  const audiences: readonly unknown[] = Array.isArray(aud) ? aud : [aud];
  return audiences.includes(audience.audience) ? undefined : 'invalid';
}

/**
 * The one check neither jsonwebtoken nor RFC 7519 makes, applied after both paths
 * (jsonwebtoken and EdDSA) so they refuse alike: a token issued in the future.
 */
export function issuedInTheFuture(iat: number, nowSeconds: number): boolean {
  return iat > nowSeconds + MAX_ISSUED_AT_SKEW_SECONDS;
}
